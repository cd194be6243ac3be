// The app's only script (the content security policy allows no inline script): small behaviours keyed by markup.
(function () {
  'use strict';

  // A page answering a POST (a form sent back with its errors): make its history entry a plain GET of the same
  // address, so Back (or reload) from the next page shows the form again instead of the browser's "resubmit?"
  // page, and never sends the form a second time.
  if (document.body && document.body.hasAttribute('data-post-response') && window.history.replaceState) {
    window.history.replaceState(null, '', window.location.href);
  }

  // <select data-autosubmit>: submit its form on change (language menu, evidence filter).
  document.addEventListener('change', function (event) {
    if (event.target.matches('select[data-autosubmit]')) event.target.form.submit();
  });

  // <form data-confirm="…">: ask before a step that cannot be taken back (approve, return, reverse, finalise).
  document.addEventListener('submit', function (event) {
    var message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });

  // <input data-money>: group the digits when the clerk leaves the box (1230000 → 1,230,000.00); the server accepts
  // either form. Left alone when it is not a number, so the server's message names what was typed.
  document.addEventListener('focusout', function (event) {
    var box = event.target;
    if (!box.matches || !box.matches('input[data-money]') || !box.value.trim()) return;
    var n = Number(box.value.replace(/[,，\s元¥￥]/g, ''));
    if (!Number.isNaN(n)) {
      box.value = n.toLocaleString('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2});
    }
  });

  // <a data-working="正在生成…">: a download that takes a while (a PDF, a large export). The link shows that it is
  // working and cannot be clicked twice until the file arrives (the server's DownloadDoneMiddleware sets a cookie
  // named after the token the link sent), or for at most two minutes.
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a[data-working]');
    if (!link) return;
    if (link.getAttribute('aria-busy') === 'true') { event.preventDefault(); return; }
    var token = Math.random().toString(36).slice(2, 12) + Date.now().toString(36);
    var url = new URL(link.href, window.location.href);
    url.searchParams.set('download_token', token);
    event.preventDefault();
    var label = link.textContent;
    link.setAttribute('aria-busy', 'true');
    link.classList.add('working');
    link.textContent = link.dataset.working;
    var started = Date.now();
    function done() {
      link.textContent = label;
      link.removeAttribute('aria-busy');
      link.classList.remove('working');
    }
    (function wait() {
      var cookie = 'download_' + token + '=';
      if (document.cookie.split('; ').some(function (c) { return c.indexOf(cookie) === 0; })) {
        document.cookie = 'download_' + token + '=; Max-Age=0; path=/; SameSite=Lax';
        done();
      } else if (Date.now() - started > 120000) {
        done();
      } else {
        setTimeout(wait, 300);
      }
    })();
    window.location.href = url.toString();
  });

  // Import progress: poll the batch's progress until it finishes, then reload to show the result.
  function progress(box) {
    function poll() {
      fetch(box.dataset.url, {credentials: 'same-origin'}).then(function (r) { return r.json(); }).then(function (p) {
        document.getElementById('progress-bar').value = p.percent;
        document.getElementById('progress-text').textContent = p.percent + '%（' + p.done + ' / ' + p.total + '）';
        if (p.finished) { window.location.reload(); } else { setTimeout(poll, 1000); }
      }).catch(function () { setTimeout(poll, 3000); });
    }
    poll();
  }

  // Allocation plan form: add lines, keep the running total.
  function planLines(table) {
    var total = document.getElementById('lines-total');
    var totalForms = document.getElementById('id_lines-TOTAL_FORMS');
    function recompute() {
      var cents = 0;
      table.querySelectorAll('tr.line').forEach(function (row) {
        var amount = row.querySelector('input[name$="-amount"]');
        var del = row.querySelector('input[name$="-DELETE"]');
        if (amount && amount.value && !(del && del.checked)) {
          var n = Number(amount.value.replace(/[,，\s元¥￥]/g, ''));
          if (!Number.isNaN(n)) cents += Math.round(n * 100);
        }
      });
      total.textContent = (cents / 100).toLocaleString('zh-CN', {minimumFractionDigits: 2, maximumFractionDigits: 2});
    }
    document.getElementById('add-line').addEventListener('click', function () {
      var index = Number(totalForms.value);
      var html = document.getElementById('empty-line').innerHTML.replace(/__prefix__/g, index);
      table.insertAdjacentHTML('beforeend', html);
      totalForms.value = index + 1;
    });
    table.addEventListener('input', recompute);
    table.addEventListener('change', recompute);
    recompute();
  }

  document.addEventListener('DOMContentLoaded', function () {
    var box = document.getElementById('progress');
    if (box && box.dataset.url) progress(box);
    var lines = document.querySelector('#lines tbody');
    if (lines && document.getElementById('add-line')) planLines(lines);
  });
})();

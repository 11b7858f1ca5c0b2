/* Presentation mode (/presentation): one slide at a time, keyboard driven.
   → / PageDown / Space: next; ← / PageUp: previous; Home / End; F: full screen;
   Esc: leave full screen, and when not in full screen, back to Översikt with the filters.
   Dash renders the page after this file loads, so everything is looked up per key press. */
(function () {
  function slides() { return Array.from(document.querySelectorAll('.ik-slide')); }
  function current(all) { return Math.max(0, all.findIndex(function (s) { return !s.hidden; })); }
  function show(n) {
    var all = slides();
    if (!all.length) { return; }
    n = Math.max(0, Math.min(all.length - 1, n));
    all.forEach(function (s, i) { s.hidden = i !== n; });
    var counter = document.getElementById('presentation-raknare');
    if (counter) { counter.textContent = (n + 1) + ' / ' + all.length; }
    history.replaceState(history.state, '', location.pathname + location.search + '#' + (n + 1));
  }
  document.addEventListener('keydown', function (e) {
    if (!document.querySelector('.ik-presentation')) { return; }
    var all = slides(), n = current(all);
    if (['ArrowRight', 'PageDown', ' '].indexOf(e.key) >= 0) { show(n + 1); }
    else if (['ArrowLeft', 'PageUp'].indexOf(e.key) >= 0) { show(n - 1); }
    else if (e.key === 'Home') { show(0); }
    else if (e.key === 'End') { show(all.length - 1); }
    else if (e.key === 'f' || e.key === 'F') {
      if (document.documentElement.requestFullscreen) {
        document.documentElement.requestFullscreen().catch(function () {});
      }
    } else if (e.key === 'Escape') {
      if (document.fullscreenElement) { return; }  // the browser leaves full screen itself
      location.assign('/' + location.search);
    } else { return; }
    e.preventDefault();
  });
  // a link to a slide (#3), once Dash has drawn the slides
  new MutationObserver(function () {
    var all = slides();
    if (all.length && !document.body.dataset.ikSlideStart) {
      document.body.dataset.ikSlideStart = '1';
      var n = parseInt((location.hash || '#1').slice(1), 10) || 1;
      show(n - 1);
    }
    if (!all.length) { delete document.body.dataset.ikSlideStart; }
  }).observe(document.documentElement, {childList: true, subtree: true});
})();

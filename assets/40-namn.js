/* Dash's dropdown names its button by its value (aria-labelledby = the shown value), so a
   screen reader hears "Alla kommuner" and never "Kommun". Put the field's own <label> first
   in that name ("Kommun Alla kommuner"), on every page and after every re-render. */
(function () {
  function name() {
    document.querySelectorAll('button.dash-dropdown[id]').forEach(function (b) {
      var label = document.querySelector('label[for="' + CSS.escape(b.id) + '"]');
      if (!label) { return; }
      if (!label.id) { label.id = b.id + '-etikett'; }
      var ids = (b.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
      if (ids[0] !== label.id) {
        b.setAttribute('aria-labelledby', [label.id].concat(
          ids.filter(function (i) { return i !== label.id; })).join(' '));
      }
    });
  }
  new MutationObserver(name).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true, attributeFilter: ['aria-labelledby']});
})();

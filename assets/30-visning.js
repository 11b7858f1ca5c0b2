/* The display mode of the URL (?visning=projektor) as a class on <body>: large type and high
   contrast for the board's projector (10-insatskollen.css), on every page without a reload. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  ik: {
    visning: function (search) {
      var on = /(^|[?&])visning=projektor(&|$)/.test(search || '');
      document.body.classList.toggle('ik-projektor', on);
      return on ? 'projektor' : '';
    }
  }
});

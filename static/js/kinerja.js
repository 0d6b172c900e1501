// Small glue only: htmx does the work.
document.addEventListener("htmx:responseError", function (event) {
  var flash = document.getElementById("flash");
  if (flash) {
    flash.innerHTML = '<p class="flash flash-error" role="alert">Permintaan gagal (' +
      event.detail.xhr.status + '). Coba lagi.</p>';
  }
});

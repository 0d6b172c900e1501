// Small glue only: htmx does the work.
// A refused HTMX request (403, 409, 423...) is not swapped: show the server's own message (the
// error partial, templates/errors/_error.html) in the flash area, else a generic one.
document.addEventListener("htmx:responseError", function (event) {
  var flash = document.getElementById("flash");
  if (!flash) return;
  var xhr = event.detail.xhr;
  var box = null;
  if (xhr.responseText) {
    box = new DOMParser().parseFromString(xhr.responseText, "text/html").querySelector(".error-box");
  }
  var message = box && box.textContent.trim() ?
    box.textContent.replace(/\s+/g, " ").trim() : "Permintaan gagal (" + xhr.status + "). Coba lagi.";
  var note = document.createElement("p");
  note.className = "flash flash-error";
  note.setAttribute("role", "alert");
  note.textContent = message;
  flash.replaceChildren(note);
});

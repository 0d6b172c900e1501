// Visum pages: send an evidence form as soon as a photo or file is picked (one tap less in the field).
document.addEventListener("change", function (event) {
  var input = event.target;
  if (input.type !== "file" || !input.files || !input.files.length) return;
  var form = input.closest("form.evidence-form");
  if (form && typeof form.requestSubmit === "function") form.requestSubmit();
});

// Signature pad for the village visit form: draw with a finger or a mouse; the PNG goes into the hidden input.
document.addEventListener("DOMContentLoaded", function () {
  var canvas = document.getElementById("signature-pad");
  if (!canvas) return;
  var input = document.getElementById("id_signature");
  var ctx = canvas.getContext("2d");
  var drawing = false, drawn = false;
  function fit() {
    var ratio = window.devicePixelRatio || 1;
    canvas.width = canvas.offsetWidth * ratio; canvas.height = canvas.offsetHeight * ratio;
    ctx.scale(ratio, ratio); ctx.lineWidth = 2.2; ctx.lineCap = "round"; ctx.strokeStyle = "#111";
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, canvas.width, canvas.height);
    drawn = false; input.value = "";
  }
  function pos(e) { var r = canvas.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; }
  canvas.addEventListener("pointerdown", function (e) {
    drawing = true; var p = pos(e); ctx.beginPath(); ctx.moveTo(p[0], p[1]); canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener("pointermove", function (e) {
    if (!drawing) return; var p = pos(e); ctx.lineTo(p[0], p[1]); ctx.stroke(); drawn = true;
  });
  function end() { if (drawing && drawn) input.value = canvas.toDataURL("image/png"); drawing = false; }
  canvas.addEventListener("pointerup", end); canvas.addEventListener("pointerleave", end);
  document.getElementById("signature-clear").addEventListener("click", fit);
  fit();
});

// Progressive enhancement of the captcha: change the image and play the audio in place.
(function () {
  "use strict";
  if (window.antirobotReady) { return; }
  window.antirobotReady = true;
  document.addEventListener("click", function (event) {
    var refresh = event.target.closest("[data-captcha-refresh]");
    var audio = event.target.closest("[data-captcha-audio]");
    if (refresh) {
      event.preventDefault();
      var box = refresh.closest(".antirobot");
      var key = box.parentNode.querySelector("[data-captcha-key]");
      fetch(refresh.getAttribute("data-captcha-new"), {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          key.value = data.key;
          box.querySelector("[data-captcha-image]").src = data.image;
          box.querySelector("[data-captcha-audio]").href = data.audio;
          var input = box.parentNode.querySelector("input[name=captcha]");
          if (input) { input.value = ""; input.focus(); }
        })
        .catch(function () { window.location.reload(); });
    } else if (audio) {
      event.preventDefault();
      new Audio(audio.href).play().catch(function () { window.location.href = audio.href; });
    }
  });
})();

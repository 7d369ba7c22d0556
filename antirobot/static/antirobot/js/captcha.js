// Progressive enhancement of the captcha: change the image in place, listen in the player,
// and "Plus de temps".
// Without JavaScript, "Changer l'image" reloads the page (a new challenge) and "Écouter
// l'extrait sonore" opens the file in the browser's own player. The page's player stays
// hidden until the sound is asked for (empty, it would only show "0:00 / 0:00").
(function () {
  "use strict";
  if (window.antirobotReady) { return; }
  window.antirobotReady = true;

  function show(extend) { extend.hidden = false; }
  document.querySelectorAll("[data-captcha-extend]").forEach(show);

  function status(box, text) { box.querySelector("[data-captcha-status]").textContent = text; }

  // Put a challenge's key and URLs on the widget: a new challenge, or the same one under the
  // longer-lived key "Plus de temps" gives (the old key dies at its own time limit).
  function use(box, challenge) {
    box.parentNode.querySelector("[data-captcha-key]").value = challenge.key;
    box.querySelector("[data-captcha-image]").src = challenge.image;
    box.querySelector("[data-captcha-audio]").src = challenge.audio;
    box.querySelector("[data-captcha-listen]").href = challenge.audio;
    box.querySelector("[data-captcha-extend]").setAttribute("data-captcha-extend", challenge.extend);
  }

  function csrf(box) {
    var form = box.closest("form");
    var token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return token ? token.value : "";
  }

  document.addEventListener("click", function (event) {
    var refresh = event.target.closest("[data-captcha-refresh]");
    var extend = event.target.closest("[data-captcha-extend]");
    var listen = event.target.closest("[data-captcha-listen]");
    if (listen) {
      // Show the player and play in it: the person can pause and replay there.
      event.preventDefault();
      var zone = listen.closest(".antirobot");
      var player = zone.querySelector("[data-captcha-audio]");
      player.hidden = false;
      zone.querySelector("[data-captcha-audio-label]").hidden = false;
      player.currentTime = 0;
      // Only a browser that refuses to play here (NotAllowedError, NotSupportedError) gets the
      // file itself; an AbortError means a new image replaced this sound before it started.
      player.play().catch(function (error) {
        if (error && error.name === "AbortError") { return; }
        window.location.href = listen.href;
      });
    } else if (refresh) {
      event.preventDefault();
      var box = refresh.closest(".antirobot");
      fetch(refresh.getAttribute("data-captcha-new"), {credentials: "same-origin"})
        .then(function (r) { return r.json().then(function (data) { return {ok: r.ok, data: data}; }); })
        .then(function (answer) {
          if (!answer.ok) { status(box, answer.data.error); return; }
          use(box, answer.data);
          status(box, "Nouvelle image affichée.");
          var input = box.parentNode.querySelector("input[name=captcha]");
          if (input) { input.value = ""; input.focus(); }
        })
        .catch(function () { window.location.reload(); });
    } else if (extend) {
      var area = extend.closest(".antirobot");
      fetch(extend.getAttribute("data-captcha-extend"), {
        method: "POST", credentials: "same-origin", headers: {"X-CSRFToken": csrf(area)}
      })
        .then(function (r) { return r.json().then(function (data) { return {ok: r.ok, data: data}; }); })
        .then(function (answer) {
          if (!answer.ok) { status(area, answer.data.error); return; }
          use(area, answer.data);  // the same image and sound, under the new key
          status(area, "Cette image reste valable " + answer.data.minutes + " minutes.");
        })
        .catch(function () { status(area, "Le délai n'a pas pu être prolongé : changez d'image."); });
    }
  });
})();

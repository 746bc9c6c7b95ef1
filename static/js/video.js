// Sinau: a video placeholder becomes the player only when tapped, so nothing
// is fetched from YouTube or TikTok (and no data quota is used) before that.
(function () {
  "use strict";

  var PLAYERS = {
    youtube: { id: /^[A-Za-z0-9_-]{11}$/, src: function (id) { return "https://www.youtube-nocookie.com/embed/" + id + "?autoplay=1"; } },
    tiktok: { id: /^[0-9]{8,25}$/, src: function (id) { return "https://www.tiktok.com/embed/v2/" + id; } }
  };

  function play(button) {
    var player = PLAYERS[button.getAttribute("data-video-provider")];
    var id = button.getAttribute("data-video-id") || "";
    if (!player || !player.id.test(id)) { return; }
    var frame = button.closest(".video-frame");
    var iframe = document.createElement("iframe");
    iframe.src = player.src(id);
    iframe.title = button.getAttribute("data-video-title") || "";
    iframe.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    iframe.setAttribute("allowfullscreen", "");
    iframe.referrerPolicy = "strict-origin-when-cross-origin";
    iframe.className = "video-player";
    frame.classList.add("is-playing", "is-" + button.getAttribute("data-video-provider"));
    frame.replaceChildren(iframe);
    iframe.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-video-provider]") : null;
    if (button) { play(button); }
  });
})();

// Camera scanning on the check-in page: reads a participant's QR code with the phone's rear camera and
// sends what it read through the same form as a typed code, so every refusal stays the server's. Uses the
// browser's BarcodeDetector where it reads QR codes, else the vendored jsQR (loaded only then). Without
// a camera, or when access is refused, the typed-code form stays and the status line says why.
(function () {
  "use strict";

  var root = document.getElementById("camera-scanner");
  var form = document.getElementById("check-in-form");
  if (!root || !form) {
    return;
  }
  var input = form.querySelector("input[name=code]");
  var start = root.querySelector("[data-camera-start]");
  var stop = root.querySelector("[data-camera-stop]");
  var video = root.querySelector("[data-camera-video]");
  var status = root.querySelector("[data-camera-status]");
  // Set while the staff scan one code after another: the page that answers the scan opens the camera again.
  var KEEP_ON = "check-in-camera-on";
  var LAST_READ = "check-in-camera-last";
  // The code just sent is likely still in front of the camera when it reopens: it is not sent again so soon.
  var SAME_CODE_PAUSE_MS = 8000;
  var quietUntil = 0;

  var stream = null;
  var timer = null;
  var canvas = null;
  var detector = null;
  var decoderLoading = null;

  function say(key) {
    status.textContent = root.dataset[key] || "";
  }

  function remember(on, value) {
    try {
      if (on) {
        window.sessionStorage.setItem(KEEP_ON, "1");
        window.sessionStorage.setItem(LAST_READ, value);
      } else {
        window.sessionStorage.removeItem(KEEP_ON);
        window.sessionStorage.removeItem(LAST_READ);
      }
    } catch (error) {
      // Storage refused (private mode): the camera simply does not reopen by itself.
    }
  }

  function remembered(key) {
    try {
      return window.sessionStorage.getItem(key);
    } catch (error) {
      return null;
    }
  }

  function loadDecoder() {
    if (window.jsQR) {
      return Promise.resolve();
    }
    if (!decoderLoading) {
      decoderLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = root.dataset.decoder;
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return decoderLoading;
  }

  function nativeDetector() {
    if (!("BarcodeDetector" in window)) {
      return Promise.resolve(null);
    }
    return window.BarcodeDetector.getSupportedFormats()
      .then(function (formats) {
        return formats.indexOf("qr_code") >= 0 ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
      })
      .catch(function () {
        return null;
      });
  }

  function readFrame() {
    if (video.readyState < 2 || !video.videoWidth) {
      return Promise.resolve(null);
    }
    if (detector) {
      return detector.detect(video).then(function (codes) {
        return codes.length ? codes[0].rawValue : null;
      });
    }
    var width = video.videoWidth;
    var height = video.videoHeight;
    canvas = canvas || document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    var context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0, width, height);
    var found = window.jsQR(context.getImageData(0, 0, width, height).data, width, height, {
      inversionAttempts: "dontInvert",
    });
    return Promise.resolve(found ? found.data : null);
  }

  function halt() {
    window.clearTimeout(timer);
    timer = null;
    if (stream) {
      stream.getTracks().forEach(function (track) {
        track.stop();
      });
    }
    stream = null;
    video.srcObject = null;
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
    start.disabled = false;
  }

  function tick() {
    if (!stream) {
      return;
    }
    readFrame()
      .catch(function () {
        return null;
      })
      .then(function (value) {
        if (!stream) {
          return;
        }
        if (value && value === remembered(LAST_READ) && Date.now() < quietUntil) {
          value = null;
        }
        if (value) {
          halt();
          input.value = value;
          say("msgRead");
          remember(true, value);
          if (form.requestSubmit) {
            form.requestSubmit();
          } else {
            form.submit();
          }
          return;
        }
        timer = window.setTimeout(tick, 150);
      });
  }

  function refusal(error) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError") {
      return "msgDenied";
    }
    if (name === "NotFoundError" || name === "OverconstrainedError" || name === "NotReadableError") {
      return "msgNoCamera";
    }
    return "msgFailed";
  }

  function open() {
    start.disabled = true;
    say("msgStarting");
    nativeDetector()
      .then(function (native) {
        detector = native;
        return detector ? null : loadDecoder();
      })
      .then(function () {
        return navigator.mediaDevices.getUserMedia({
          video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 } },
          audio: false,
        });
      })
      .then(function (opened) {
        stream = opened;
        quietUntil = Date.now() + SAME_CODE_PAUSE_MS;
        video.srcObject = stream;
        video.hidden = false;
        start.hidden = true;
        stop.hidden = false;
        say("msgLooking");
        return video.play().catch(function () {
          return null;
        });
      })
      .then(function () {
        tick();
      })
      .catch(function (error) {
        halt();
        remember(false);
        say(refusal(error));
      });
  }

  root.hidden = false;
  if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    start.disabled = true;
    say("msgUnsupported");
    return;
  }
  start.addEventListener("click", open);
  stop.addEventListener("click", function () {
    halt();
    remember(false);
    say("msgStopped");
    start.focus();
  });
  window.addEventListener("pagehide", halt);
  if (remembered(KEEP_ON) === "1") {
    open();
  }
})();

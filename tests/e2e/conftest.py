"""Browsers for journeys that need more than the suite's shared Chromium: one whose camera films a picture."""

import pytest
import segno

from tests.conftest import launch_chromium

WIDTH, HEIGHT = 640, 480


def write_y4m_of_qr_code(path, text, frames=3):
    """A still video (YUV4MPEG2, 4:2:0) of `text`'s QR code, black on white in the middle of a 640x480
    picture: what Chromium's fake camera films, frame after frame, when given the file."""
    matrix = [list(row) for row in segno.make(text, error="m").matrix]
    border = 4
    modules = len(matrix) + 2 * border
    scale = min(WIDTH, HEIGHT) * 9 // 10 // modules
    left, top = (WIDTH - modules * scale) // 2, (HEIGHT - modules * scale) // 2
    luma = bytearray(b"\xff" * (WIDTH * HEIGHT))
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if not dark:
                continue
            for dy in range(scale):
                start = (top + (y + border) * scale + dy) * WIDTH + left + (x + border) * scale
                luma[start : start + scale] = b"\x00" * scale
    chroma = b"\x80" * (WIDTH * HEIGHT // 4)  # grey: no colour
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + bytes(luma) + chroma + chroma)
    return path


@pytest.fixture
def camera_browser(playwright_driver, tmp_path):
    """`camera_browser(text)`: a Chromium of its own whose camera films `text`'s QR code, and which grants
    the camera without asking (the flags a phone's user would answer with a tap)."""
    launched = []

    def launch(text):
        video = write_y4m_of_qr_code(tmp_path / f"qr-{len(launched)}.y4m", text)
        browser = launch_chromium(
            playwright_driver,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        )
        launched.append(browser)
        return browser

    yield launch
    for browser in launched:
        browser.close()

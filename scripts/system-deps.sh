#!/usr/bin/env bash
# Installs the Debian packages the app and its tests need, when any is missing:
# chromium (kaleido chart export and the browser tests), fonts-liberation (Arial
# metrics in PDFs), poppler-utils (pdftotext/pdfinfo in the PDF tests), a Java runtime
# (default-jre-headless: the W3C Nu HTML Checker, vnu.jar, that validates the browser
# tests' pages).
set -euo pipefail

missing=()
command -v chromium >/dev/null || missing+=(chromium)
[ -e /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ] || missing+=(fonts-liberation)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
command -v java >/dev/null || missing+=(default-jre-headless)

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${missing[*]}. Install them as root: apt-get install ${missing[*]}" >&2
    exit 1
fi
echo "Installing ${missing[*]} ..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

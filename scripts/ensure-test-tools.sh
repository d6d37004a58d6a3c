#!/usr/bin/env bash
# The workbook and report tests recalculate the workbook with LibreOffice Calc, convert the
# cabinet pack's report.docx with LibreOffice Writer and render the report in headless
# Chromium. All are Debian packages: install them when missing.
set -euo pipefail
need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
# the cabinet pack tests convert report.docx with LibreOffice Writer
[ -e /usr/lib/libreoffice/program/libswlo.so ] || need+=(libreoffice-writer-nogui)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing test tools: ${need[*]} (one-off, a few minutes)" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" fonts-dejavu-core >/dev/null

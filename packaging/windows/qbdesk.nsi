; Windows installer for qbdesk: a per-user install (no administrator rights) of the PyInstaller folder.
;
;   makensis /DVERSION=0.1.0 packaging\windows\qbdesk.nsi
;
; makensis reads the paths in here relative to this script's folder: by default the bundle is dist/qbdesk
; and the installer dist/qbdesk-VERSION-windows-x64-setup.exe at the top of the repository; /DBUNDLE=
; and /DOUTFILE= with absolute paths choose others. The uninstaller removes the program and its Start-menu
; entry only: the data folder (%LOCALAPPDATA%\qbdesk) and the credentials in Windows Credential Manager
; stay, so reinstalling finds them again.

Unicode true
!ifdef STORE_ONLY
  SetCompress off  ; a quick build that only checks the script and the layout (scripts/check-desktop)
!else
  SetCompressor /SOLID lzma
!endif
RequestExecutionLevel user

!define APP_ID "org.qbdesk.qbdesk"
!define APP_NAME "qbdesk"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!ifndef VERSION
  !error "Pass the version: makensis /DVERSION=X.Y.Z ..."
!endif
!ifndef BUNDLE
  !define BUNDLE "../../dist/qbdesk"
!endif
!ifndef OUTFILE
  !define OUTFILE "../../dist/qbdesk-${VERSION}-windows-x64-setup.exe"
!endif

!include "MUI2.nsh"

Name "${APP_NAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
ShowInstDetails show
ShowUninstDetails show
VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP_NAME}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${APP_NAME} installer"
VIAddVersionKey "LegalCopyright" "Copyright (c) 2026 the qbdesk authors"

!define MUI_ICON "qbdesk.ico"
!define MUI_UNICON "qbdesk.ico"
!define MUI_FINISHPAGE_RUN "$INSTDIR\qbdesk-window.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Open qbdesk now"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_LICENSE "../../LICENSE"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Section "qbdesk" SecMain
  SectionIn RO
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  ; A previous version's libraries must not mix with this one's.
  RMDir /r "$INSTDIR\_internal"
  File /r "${BUNDLE}/*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  ; The window without a console beside it; qbdesk.exe stays for the command line.
  CreateShortCut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\qbdesk-window.exe" "" "$INSTDIR\qbdesk.exe" 0

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "the qbdesk authors"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\qbdesk.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  ; Only what the installer put there: never the data folder or Credential Manager's entries.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\qbdesk.exe"
  Delete "$INSTDIR\qbdesk-window.exe"
  Delete "$INSTDIR\LICENSE"
  Delete "$INSTDIR\THIRD-PARTY-NOTICES"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DetailPrint "Your credentials and the data folder $LOCALAPPDATA\qbdesk were kept."
SectionEnd

# Debian packages with CPack: wartemarke-server (broker, CLI, back-office gateway, config,
# units), wartemarke-kiosk
# (kiosk, display, hw tool, kiosk-session units), wartemarke-counter (counter, dashboard).
include(GNUInstallDirs)

set(WM_UNIT_DIR /lib/systemd/system)
set(BINDIR /usr/bin)
set(CAGE /usr/bin/cage)
set(SYSTEMCTL /bin/systemctl)
set(DOCDIR /usr/share/doc/wartemarke-server)
foreach(unit wartemarke-server.service wartemarke-backoffice.service wartemarke-kiosk@.service wartemarke-display@.service
             wartemarke-nightly-restart.service)
  configure_file(${CMAKE_SOURCE_DIR}/deploy/systemd/${unit}.in ${CMAKE_BINARY_DIR}/systemd/${unit} @ONLY)
endforeach()

# The back-office gateway goes with the server: it reads the county configuration only this
# package ships, and runs beside the broker under its own user (see its unit).
install(TARGETS wartemarke-server wartemarke wartemarke-backoffice RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        COMPONENT server)
install(FILES ${CMAKE_BINARY_DIR}/systemd/wartemarke-server.service
              ${CMAKE_BINARY_DIR}/systemd/wartemarke-backoffice.service
        DESTINATION ${WM_UNIT_DIR} COMPONENT server)
# The packaged county.toml is the demo's with one difference: a real installation runs CURVE
# (every device needs a registered key) and grants plain peers nothing; plain transport is for
# the one-machine demo only.
file(READ ${CMAKE_SOURCE_DIR}/deploy/config/county.toml WM_COUNTY_TOML)
string(REPLACE "transport = \"plain\"" "transport = \"curve\"" WM_COUNTY_TOML "${WM_COUNTY_TOML}")
string(REPLACE "plain_role = \"admin\"" "plain_role = \"none\"" WM_COUNTY_TOML "${WM_COUNTY_TOML}")
string(REPLACE "This demo\n# runs everything on one machine's loopback and allows plain connections for that alone."
               "Installed\n# from the package: CURVE. For a one-machine test only, transport = \"plain\"."
               WM_COUNTY_TOML "${WM_COUNTY_TOML}")
file(WRITE ${CMAKE_BINARY_DIR}/package-config/county.toml "${WM_COUNTY_TOML}")
# deploy/config/staff.toml holds the demo's accounts (PIN 1234): never installed. The package
# has an account-free staff.toml; the admin creates the first account with `wartemarke staff add`.
install(DIRECTORY ${CMAKE_SOURCE_DIR}/deploy/config/ DESTINATION /etc/wartemarke COMPONENT server
        FILES_MATCHING PATTERN "*.toml" PATTERN "county.toml" EXCLUDE PATTERN "staff.toml" EXCLUDE)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/package/staff.toml DESTINATION /etc/wartemarke COMPONENT server)
install(FILES ${CMAKE_BINARY_DIR}/package-config/county.toml DESTINATION /etc/wartemarke COMPONENT server)
# Translations are shared by every program: one package owns them (dpkg refuses two packages
# shipping the same file — the install test found exactly that).
install(DIRECTORY ${CMAKE_SOURCE_DIR}/assets/i18n DESTINATION ${CMAKE_INSTALL_DATADIR}/wartemarke
        COMPONENT common FILES_MATCHING PATTERN "*.json")
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT server)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT server
        FILES_MATCHING PATTERN "*.md")
# The TLS reverse proxy for the status page (docs/operations.md): an example to copy, not a conffile.
install(FILES ${CMAKE_SOURCE_DIR}/deploy/nginx/wartemarke-status.conf
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples COMPONENT server)

foreach(t wartemarke-kiosk wartemarke-display wartemarke-hw)
  if(TARGET ${t})
    install(TARGETS ${t} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT kiosk)
  endif()
endforeach()
install(FILES ${CMAKE_BINARY_DIR}/systemd/wartemarke-kiosk@.service
              ${CMAKE_BINARY_DIR}/systemd/wartemarke-display@.service
              ${CMAKE_BINARY_DIR}/systemd/wartemarke-nightly-restart.service
              ${CMAKE_SOURCE_DIR}/deploy/systemd/wartemarke-nightly-restart.timer
        DESTINATION ${WM_UNIT_DIR} COMPONENT kiosk)
foreach(t wartemarke-counter wartemarke-dashboard)
  if(TARGET ${t})
    install(TARGETS ${t} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT counter)
  endif()
endforeach()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME wartemarke)
set(CPACK_PACKAGE_VENDOR "Wartemarke")
set(CPACK_PACKAGE_CONTACT "Wartemarke IT <it@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Kiosk and queue system for Bürgerbüros")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_COMPONENTS_ALL common server kiosk counter)
set(CPACK_DEBIAN_COMMON_PACKAGE_NAME wartemarke-common)
set(CPACK_DEBIAN_SERVER_PACKAGE_NAME wartemarke-server)
set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME wartemarke-kiosk)
set(CPACK_DEBIAN_COUNTER_PACKAGE_NAME wartemarke-counter)
set(WM_COMMON_DEP "wartemarke-common (= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_COMMON_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "${WM_COMMON_DEP}, adduser")
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS "${WM_COMMON_DEP}, cage, fonts-noto-core, espeak-ng-data, adduser")
set(CPACK_DEBIAN_COUNTER_PACKAGE_DEPENDS "${WM_COMMON_DEP}, fonts-noto-core")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    "${CMAKE_SOURCE_DIR}/deploy/debian/server/postinst;${CMAKE_SOURCE_DIR}/deploy/debian/server/conffiles")
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_EXTRA "${CMAKE_SOURCE_DIR}/deploy/debian/kiosk/postinst")
include(CPack)

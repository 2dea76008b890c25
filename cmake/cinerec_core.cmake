# The cinerec_core library: everything under src/ except the CLI entry point, with the web front end
# embedded. One definition for the main build (CMakeLists.txt) and the libFuzzer build (tests/fuzz),
# which compiles the same sources with clang's fuzzing instrumentation.
#   add_cinerec_core(TARGET)   -- the caller has set the compile options it wants before calling

find_package(PkgConfig REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(Threads REQUIRED)
find_package(ZLIB REQUIRED)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED)
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
# `cinerec serve` (src/server) is built on cpp-httplib; tests also run fake embedding APIs with it.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
# The local encoder's matrix products (Debian: libopenblas-dev, pthread variant).
pkg_check_modules(OPENBLAS REQUIRED IMPORTED_TARGET openblas)
find_library(STEMMER_LIB stemmer REQUIRED)
# The PostgreSQL store (Debian: libpqxx-dev, which brings libpq-dev).
pkg_check_modules(PQXX REQUIRED IMPORTED_TARGET libpqxx libpq)

get_filename_component(CINEREC_ROOT ${CMAKE_CURRENT_LIST_DIR}/.. ABSOLUTE)

function(add_cinerec_core target)
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CINEREC_ROOT}/src/*.cpp)
  list(FILTER sources EXCLUDE REGEX ".*/src/cli/main\\.cpp$")
  # The web front end (src/server/web) is compiled into the binary, so `cinerec serve` needs no files
  # beside it; editing any of those files regenerates the arrays.
  file(GLOB_RECURSE web_files CONFIGURE_DEPENDS ${CINEREC_ROOT}/src/server/web/*)
  set(web_cpp ${CMAKE_CURRENT_BINARY_DIR}/generated/${target}_web_assets.cpp)
  add_custom_command(OUTPUT ${web_cpp}
    COMMAND ${CMAKE_COMMAND} -DWEB_DIR=${CINEREC_ROOT}/src/server/web -DOUTPUT=${web_cpp}
            -P ${CINEREC_ROOT}/cmake/embed_assets.cmake
    DEPENDS ${web_files} ${CINEREC_ROOT}/cmake/embed_assets.cmake
    COMMENT "Embedding the web front end" VERBATIM)
  add_library(${target} STATIC ${sources} ${web_cpp})
  target_include_directories(${target} PUBLIC ${CINEREC_ROOT}/src)
  target_link_libraries(${target} PUBLIC
    SQLite::SQLite3 nlohmann_json::nlohmann_json CLI11::CLI11 Threads::Threads
    PkgConfig::UTF8PROC PkgConfig::OPENBLAS PkgConfig::PQXX ${STEMMER_LIB} CURL::libcurl ZLIB::ZLIB
    ${HTTPLIB_LINK_LIBRARIES} OpenSSL::Crypto)
  # Only the server includes httplib.h, so only its files get httplib's feature macros (changing every
  # file's flags would rebuild the whole library for nothing). The unit tests use the same macros.
  file(GLOB server_sources CONFIGURE_DEPENDS ${CINEREC_ROOT}/src/server/*.cpp)
  set_source_files_properties(${server_sources} PROPERTIES COMPILE_OPTIONS "${HTTPLIB_CFLAGS}")
  # Kernels compiled for AVX2/FMA live in files named *_avx2.cpp; the dispatcher picks them at run time.
  file(GLOB_RECURSE avx2_sources CONFIGURE_DEPENDS ${CINEREC_ROOT}/src/*_avx2.cpp)
  set_source_files_properties(${avx2_sources} PROPERTIES COMPILE_OPTIONS "-mavx2;-mfma;-mf16c")
  # Kernels for AVX-512 VNNI (int8 dot products) live in files named *_vnni.cpp, also picked at run time.
  file(GLOB_RECURSE vnni_sources CONFIGURE_DEPENDS ${CINEREC_ROOT}/src/*_vnni.cpp)
  set_source_files_properties(${vnni_sources} PROPERTIES COMPILE_OPTIONS
    "-mavx2;-mfma;-mavx512f;-mavx512bw;-mavx512vl;-mavx512vnni")
endfunction()

# hnswlib (Debian's 0.7) prefetches one entry past an upper-layer link list when it defines USE_SSE
# (nmslib/hnswlib#107 and #578, open upstream): a 4-byte heap over-read that ASan reports on every
# HNSW build. cinerec's distances are its own kernels, so turning off hnswlib's manual vectorization
# in sanitized builds only drops those prefetches; other builds keep them.
function(cinerec_core_for_asan)
  set_source_files_properties(${CINEREC_ROOT}/src/index/hnsw.cpp PROPERTIES
    COMPILE_DEFINITIONS NO_MANUAL_VECTORIZATION)
endfunction()

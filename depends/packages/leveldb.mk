# LevelDB 1.23, the release Bitcoin Core's bundled copy follows; without snappy, crc32c and
# tcmalloc, as Core builds it.
package=leveldb
$(package)_version=1.23
$(package)_pool=main/l/leveldb
$(package)_file_name:=leveldb_$($(package)_version).orig.tar.gz
$(package)_sha256_hash=9a37f8a6174f09bd622bc723b55881dc541cd50747cbd08831c2a82d620f6d76
$(package)_config_opts=-DLEVELDB_BUILD_TESTS=OFF -DLEVELDB_BUILD_BENCHMARKS=OFF -DLEVELDB_INSTALL=ON
$(package)_config_opts+=-DHAVE_SNAPPY=OFF -DHAVE_CRC32C=OFF -DHAVE_TCMALLOC=OFF
$(package)_build_targets=leveldb
$(package)_stage_cmds=stage_install

# The packages `make -C depends` builds. Each has a recipe packages/<name>.mk; native_* packages
# are tools for the build machine, installed under depends/<host>/native.
packages := libsecp256k1 leveldb
ipc_packages := capnp
ipc_native_packages := native_capnp

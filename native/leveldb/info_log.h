// LevelDB's info log kept in memory for JavaScript to take: Core routes these lines to debug.log under
// -debug=leveldb (CBitcoinLevelDBLogger) instead of letting LevelDB write a LOG file into the database.
// LevelDB is built without RTTI, so the logger (a subclass of leveldb::Logger) lives in info_log.cpp,
// compiled without RTTI too; the addon sees only this interface.
#ifndef SMITHCOIN_NATIVE_LEVELDB_INFO_LOG_H
#define SMITHCOIN_NATIVE_LEVELDB_INFO_LOG_H

#include <memory>
#include <string>
#include <vector>

namespace leveldb {
class Logger;
}

struct InfoLogDeleter {
    void operator()(leveldb::Logger* log) const;
};
using InfoLogPtr = std::unique_ptr<leveldb::Logger, InfoLogDeleter>;

// A logger that queues up to a bound of lines (from any thread) until taken.
InfoLogPtr NewQueuedInfoLog();

// The lines logged since the last call, then one noting how many did not fit; `log` is a NewQueuedInfoLog().
std::vector<std::string> TakeInfoLog(leveldb::Logger& log);

#endif // SMITHCOIN_NATIVE_LEVELDB_INFO_LOG_H

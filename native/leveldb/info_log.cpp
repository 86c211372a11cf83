// The queued info log (see info_log.h). Compactions log from LevelDB's background thread, so the queue is
// locked; it is bounded, and a line beyond the bound is counted, not kept, so a database that logs while
// nobody drains costs no memory.
#include "info_log.h"

#include <leveldb/env.h>

#include <algorithm>
#include <cstdarg>
#include <cstddef>
#include <cstdio>
#include <deque>
#include <mutex>

namespace {

constexpr size_t MAX_LINES = 1000;
// Core truncates a longer line at this many bytes.
constexpr size_t MAX_LINE_BYTES = 29999;

std::string Format(const char* format, std::va_list ap)
{
    char small[500];
    std::va_list copy;
    va_copy(copy, ap);
    int n = std::vsnprintf(small, sizeof(small), format, copy);
    va_end(copy);
    if (n < 0) return {};
    if (static_cast<size_t>(n) < sizeof(small)) return std::string(small, static_cast<size_t>(n));
    std::string big(std::min(static_cast<size_t>(n), MAX_LINE_BYTES) + 1, '\0');
    va_copy(copy, ap);
    std::vsnprintf(big.data(), big.size(), format, copy);
    va_end(copy);
    big.pop_back();
    return big;
}

class QueuedInfoLog final : public leveldb::Logger {
public:
    void Logv(const char* format, std::va_list ap) override
    {
        std::string line = Format(format, ap);
        while (!line.empty() && line.back() == '\n') line.pop_back();
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_lines.size() >= MAX_LINES) {
            ++m_dropped;
            return;
        }
        m_lines.push_back(std::move(line));
    }

    std::vector<std::string> Take()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        std::vector<std::string> out(m_lines.begin(), m_lines.end());
        m_lines.clear();
        if (m_dropped > 0) out.push_back(std::to_string(m_dropped) + " more lines were not kept");
        m_dropped = 0;
        return out;
    }

private:
    std::mutex m_mutex;
    std::deque<std::string> m_lines;
    size_t m_dropped{0};
};

} // namespace

void InfoLogDeleter::operator()(leveldb::Logger* log) const
{
    delete log;
}

InfoLogPtr NewQueuedInfoLog()
{
    return InfoLogPtr(new QueuedInfoLog());
}

std::vector<std::string> TakeInfoLog(leveldb::Logger& log)
{
    return static_cast<QueuedInfoLog&>(log).Take();
}

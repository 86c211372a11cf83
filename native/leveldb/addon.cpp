// leveldb.node: a synchronous binding of LevelDB (depends' static 1.23) with the options Bitcoin Core
// uses for its block index and chainstate. Calls run on the JS thread: the node's reads are short
// and batched (getMany), so a thread hop per call would cost more than the read itself.
#include "block_index.h"
#include "info_log.h"

#include <napi.h>

#include <leveldb/cache.h>
#include <leveldb/db.h>
#include <leveldb/filter_policy.h>
#include <leveldb/iterator.h>
#include <leveldb/options.h>
#include <leveldb/write_batch.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <set>
#include <cstdlib>
#include <string>
#include <utility>

namespace {

// Core's dbwrapper prefixes every failing status with this text (HandleError).
[[noreturn]] void ThrowStatus(Napi::Env env, const leveldb::Status& status)
{
    throw Napi::Error::New(env, "Fatal LevelDB error: " + status.ToString());
}

leveldb::Slice SliceArg(const Napi::Value& value, const char* what)
{
    if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
        throw Napi::TypeError::New(value.Env(), std::string(what) + " must be a Uint8Array");
    }
    auto bytes = value.As<Napi::Uint8Array>();
    return leveldb::Slice(reinterpret_cast<const char*>(bytes.Data()), bytes.ByteLength());
}

Napi::Value ToBuffer(Napi::Env env, const leveldb::Slice& slice)
{
    // A plain Uint8Array (not a Buffer), like every other byte string in the TS code.
    auto bytes = Napi::ArrayBuffer::New(env, slice.size());
    if (slice.size() > 0) std::memcpy(bytes.Data(), slice.data(), slice.size());
    return Napi::Uint8Array::New(env, slice.size(), bytes, 0);
}

size_t SizeOption(const Napi::Object& opts, const char* name, size_t fallback)
{
    if (!opts.Has(name) || opts.Get(name).IsUndefined()) return fallback;
    Napi::Value v = opts.Get(name);
    if (!v.IsNumber() || v.As<Napi::Number>().DoubleValue() < 0) {
        throw Napi::TypeError::New(opts.Env(), std::string(name) + " must be a non-negative number");
    }
    return static_cast<size_t>(v.As<Napi::Number>().Int64Value());
}

bool BoolOption(const Napi::Object& opts, const char* name, bool fallback)
{
    if (!opts.Has(name) || opts.Get(name).IsUndefined()) return fallback;
    return opts.Get(name).ToBoolean().Value();
}

class Database;

/** An iterator over a snapshot of the database; closed by JS or, at the latest, with its database. */
class Iterator : public Napi::ObjectWrap<Iterator> {
public:
    static Napi::Function Define(Napi::Env env)
    {
        return DefineClass(env, "Iterator", {
            InstanceMethod<&Iterator::Seek>("seek"),
            InstanceMethod<&Iterator::SeekToFirst>("seekToFirst"),
            InstanceMethod<&Iterator::Next>("next"),
            InstanceMethod<&Iterator::Valid>("valid"),
            InstanceMethod<&Iterator::Key>("key"),
            InstanceMethod<&Iterator::Value>("value"),
            InstanceMethod<&Iterator::ReadRun>("readRun"),
            InstanceMethod<&Iterator::Close>("close"),
        });
    }

    explicit Iterator(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Iterator>(info) {}
    ~Iterator() override;

    void Attach(Database* db, leveldb::Iterator* it)
    {
        m_db = db;
        m_it.reset(it);
    }
    /** Called by the database before it closes: LevelDB needs every iterator gone first. */
    void Release() { m_it.reset(); m_db = nullptr; }

private:
    leveldb::Iterator& Live(Napi::Env env)
    {
        if (!m_it) throw Napi::Error::New(env, "LevelDB iterator is closed");
        return *m_it;
    }
    leveldb::Iterator& Positioned(Napi::Env env)
    {
        leveldb::Iterator& it = Live(env);
        if (!it.Valid()) throw Napi::Error::New(env, "LevelDB iterator is not on an entry");
        return it;
    }
    void Check(Napi::Env env)
    {
        leveldb::Status status = m_it->status();
        if (!status.ok()) ThrowStatus(env, status);
    }

    void Seek(const Napi::CallbackInfo& info)
    {
        leveldb::Iterator& it = Live(info.Env());
        it.Seek(SliceArg(info[0], "key"));
        Check(info.Env());
    }
    void SeekToFirst(const Napi::CallbackInfo& info)
    {
        Live(info.Env()).SeekToFirst();
        Check(info.Env());
    }
    void Next(const Napi::CallbackInfo& info)
    {
        Positioned(info.Env()).Next();
        Check(info.Env());
    }
    Napi::Value Valid(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), Live(info.Env()).Valid()); }
    Napi::Value Key(const Napi::CallbackInfo& info) { return ToBuffer(info.Env(), Positioned(info.Env()).key()); }
    Napi::Value Value(const Napi::CallbackInfo& info) { return ToBuffer(info.Env(), Positioned(info.Env()).value()); }

    // readRun(prefix, maxEntries, maxBytes, xorKey): the entries from the current position on whose keys start with
    // `prefix`, until maxEntries are read or their bytes pass maxBytes, as one Uint8Array of (u32le key length, key,
    // u32le value length, value) records; values are XORed with the 8-byte xorKey repeated (Core's obfuscation).
    // The iterator is left on the first entry not returned. One buffer for a run of entries, not two per entry: a
    // small ArrayBuffer each made the garbage collector most of the cost of loading a block index.
    Napi::Value ReadRun(const Napi::CallbackInfo& info)
    {
        Napi::Env env = info.Env();
        leveldb::Iterator& it = Live(env);
        leveldb::Slice prefix = SliceArg(info[0], "prefix");
        if (!info[1].IsNumber() || !info[2].IsNumber()) throw Napi::TypeError::New(env, "maxEntries and maxBytes must be numbers");
        int64_t max_entries = info[1].As<Napi::Number>().Int64Value();
        int64_t max_bytes = info[2].As<Napi::Number>().Int64Value();
        leveldb::Slice key8 = SliceArg(info[3], "xorKey");
        if (key8.size() != 8) throw Napi::RangeError::New(env, "xorKey must be 8 bytes");
        std::string run;
        for (int64_t n = 0; n < max_entries && static_cast<int64_t>(run.size()) < max_bytes && it.Valid(); ++n, it.Next()) {
            leveldb::Slice key = it.key();
            if (!key.starts_with(prefix)) break;
            leveldb::Slice value = it.value();
            AppendRecord(run, key);
            size_t at = run.size();
            AppendRecord(run, value);
            for (size_t i = 0; i < value.size(); ++i) run[at + 4 + i] = static_cast<char>(run[at + 4 + i] ^ key8[i % 8]);
        }
        Check(env);
        return ToBuffer(env, leveldb::Slice(run));
    }
    static void AppendRecord(std::string& run, const leveldb::Slice& bytes)
    {
        uint32_t size = static_cast<uint32_t>(bytes.size());
        const char le[4] = {static_cast<char>(size), static_cast<char>(size >> 8), static_cast<char>(size >> 16), static_cast<char>(size >> 24)};
        run.append(le, 4);
        run.append(bytes.data(), bytes.size());
    }
    void Close(const Napi::CallbackInfo& info);

    Database* m_db{nullptr};
    std::unique_ptr<leveldb::Iterator> m_it;
};

class Database : public Napi::ObjectWrap<Database> {
public:
    static Napi::Function Define(Napi::Env env)
    {
        return DefineClass(env, "Database", {
            InstanceMethod<&Database::Get>("get"),
            InstanceMethod<&Database::GetMany>("getMany"),
            InstanceMethod<&Database::Write>("write"),
            InstanceMethod<&Database::NewIterator>("iterator"),
            InstanceMethod<&Database::ApproximateSize>("approximateSize"),
            InstanceMethod<&Database::ApproximateMemoryUsage>("approximateMemoryUsage"),
            InstanceMethod<&Database::CompactRange>("compactRange"),
            InstanceMethod<&Database::TakeInfoLog>("takeInfoLog"),
            InstanceMethod<&Database::Close>("close"),
        });
    }

    // new Database(path, options): opens synchronously, as CDBWrapper's constructor does.
    explicit Database(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Database>(info)
    {
        Napi::Env env = info.Env();
        if (!info[0].IsString()) throw Napi::TypeError::New(env, "path must be a string");
        Napi::Object opts = info[1].IsObject() ? info[1].As<Napi::Object>() : Napi::Object::New(env);
        leveldb::Options options;
        options.create_if_missing = BoolOption(opts, "createIfMissing", true);
        options.error_if_exists = BoolOption(opts, "errorIfExists", false);
        options.paranoid_checks = BoolOption(opts, "paranoidChecks", true);
        options.max_open_files = static_cast<int>(SizeOption(opts, "maxOpenFiles", 64));
        options.write_buffer_size = SizeOption(opts, "writeBufferSize", options.write_buffer_size);
        options.max_file_size = SizeOption(opts, "maxFileSize", options.max_file_size);
        // Core's databases are never compressed, whatever the caller asks for.
        options.compression = leveldb::kNoCompression;
        m_cache.reset(leveldb::NewLRUCache(SizeOption(opts, "cacheSize", 8 << 20)));
        options.block_cache = m_cache.get();
        // Core's CDBWrapper gives every database a 10-bit bloom filter unless told otherwise (DBParams::bloom_filter):
        // a lookup of an absent key (BIP30, a coin not in the set) then mostly reads no table block.
        if (BoolOption(opts, "bloomFilter", true)) m_filter.reset(leveldb::NewBloomFilterPolicy(10));
        options.filter_policy = m_filter.get();
        options.info_log = m_info_log.get();
        leveldb::DB* db = nullptr;
        leveldb::Status status = leveldb::DB::Open(options, info[0].As<Napi::String>().Utf8Value(), &db);
        if (!status.ok()) ThrowStatus(env, status);
        m_db.reset(db);
        m_iter_options.verify_checksums = true;
        m_iter_options.fill_cache = false;
        m_sync_options.sync = true;
    }

    ~Database() override { Shut(); }

    void Forget(Iterator* it) { m_iterators.erase(it); }

private:
    leveldb::DB& Open(Napi::Env env)
    {
        if (!m_db) throw Napi::Error::New(env, "LevelDB database is closed");
        return *m_db;
    }

    void Shut()
    {
        for (Iterator* it : m_iterators) it->Release();
        m_iterators.clear();
        m_db.reset();
        m_cache.reset();
        m_filter.reset();
    }

    Napi::Value ReadOne(Napi::Env env, leveldb::DB& db, const leveldb::Slice& key, std::string& scratch)
    {
        leveldb::Status status = db.Get(m_read_options, key, &scratch);
        if (status.IsNotFound()) return env.Null();
        if (!status.ok()) ThrowStatus(env, status);
        return ToBuffer(env, scratch);
    }

    Napi::Value Get(const Napi::CallbackInfo& info)
    {
        std::string value;
        return ReadOne(info.Env(), Open(info.Env()), SliceArg(info[0], "key"), value);
    }

    // getMany(keys): one call for a block's worth of coin look-ups; null where a key is absent.
    Napi::Value GetMany(const Napi::CallbackInfo& info)
    {
        Napi::Env env = info.Env();
        leveldb::DB& db = Open(env);
        if (!info[0].IsArray()) throw Napi::TypeError::New(env, "keys must be an array");
        auto keys = info[0].As<Napi::Array>();
        uint32_t n = keys.Length();
        Napi::Array out = Napi::Array::New(env, n);
        std::string value;
        for (uint32_t i = 0; i < n; ++i) out.Set(i, ReadOne(env, db, SliceArg(keys.Get(i), "key"), value));
        return out;
    }

    // write(keys, values, sync): one atomic batch, in order; a null value erases its key.
    void Write(const Napi::CallbackInfo& info)
    {
        Napi::Env env = info.Env();
        leveldb::DB& db = Open(env);
        if (!info[0].IsArray() || !info[1].IsArray()) throw Napi::TypeError::New(env, "keys and values must be arrays");
        auto keys = info[0].As<Napi::Array>();
        auto values = info[1].As<Napi::Array>();
        if (keys.Length() != values.Length()) throw Napi::RangeError::New(env, "keys and values differ in length");
        leveldb::WriteBatch batch;
        for (uint32_t i = 0; i < keys.Length(); ++i) {
            Napi::Value value = values.Get(i);
            if (value.IsNull()) batch.Delete(SliceArg(keys.Get(i), "key"));
            else batch.Put(SliceArg(keys.Get(i), "key"), SliceArg(value, "value"));
        }
        bool sync = info[2].ToBoolean().Value();
        leveldb::Status status = db.Write(sync ? m_sync_options : m_write_options, &batch);
        if (!status.ok()) ThrowStatus(env, status);
    }

    Napi::Value NewIterator(const Napi::CallbackInfo& info)
    {
        Napi::Env env = info.Env();
        leveldb::DB& db = Open(env);
        auto* ctor = env.GetInstanceData<Napi::FunctionReference>();
        Napi::Object obj = ctor->New({});
        Iterator* it = Napi::ObjectWrap<Iterator>::Unwrap(obj);
        it->Attach(this, db.NewIterator(m_iter_options));
        m_iterators.insert(it);
        // The iterator keeps its database object alive while JS holds it.
        obj.Set("db", Value());
        return obj;
    }

    Napi::Value ApproximateSize(const Napi::CallbackInfo& info)
    {
        leveldb::DB& db = Open(info.Env());
        leveldb::Range range(SliceArg(info[0], "begin"), SliceArg(info[1], "end"));
        uint64_t size = 0;
        db.GetApproximateSizes(&range, 1, &size);
        return Napi::Number::New(info.Env(), static_cast<double>(size));
    }

    // approximateMemoryUsage(): LevelDB's "leveldb.approximate-memory-usage" in bytes, or null when it has none
    // (Core's CDBWrapper::DynamicMemoryUsage).
    Napi::Value ApproximateMemoryUsage(const Napi::CallbackInfo& info)
    {
        leveldb::DB& db = Open(info.Env());
        std::string value;
        if (!db.GetProperty("leveldb.approximate-memory-usage", &value) || value.empty() ||
            value.find_first_not_of("0123456789") != std::string::npos) {
            return info.Env().Null();
        }
        return Napi::Number::New(info.Env(), static_cast<double>(std::strtoull(value.c_str(), nullptr, 10)));
    }

    // compactRange(begin?, end?): null or undefined means the start or end of the key space.
    void CompactRange(const Napi::CallbackInfo& info)
    {
        leveldb::DB& db = Open(info.Env());
        leveldb::Slice begin, end;
        bool has_begin = !info[0].IsNull() && !info[0].IsUndefined();
        bool has_end = !info[1].IsNull() && !info[1].IsUndefined();
        if (has_begin) begin = SliceArg(info[0], "begin");
        if (has_end) end = SliceArg(info[1], "end");
        db.CompactRange(has_begin ? &begin : nullptr, has_end ? &end : nullptr);
    }

    // takeInfoLog(): LevelDB's log lines since the last call (also after close: the last ones come from shutting down).
    Napi::Value TakeInfoLog(const Napi::CallbackInfo& info)
    {
        std::vector<std::string> lines = ::TakeInfoLog(*m_info_log);
        Napi::Array out = Napi::Array::New(info.Env(), lines.size());
        for (size_t i = 0; i < lines.size(); ++i) out.Set(static_cast<uint32_t>(i), Napi::String::New(info.Env(), lines[i]));
        return out;
    }

    void Close(const Napi::CallbackInfo&) { Shut(); }

    // Declared before the database, so it outlives it: LevelDB logs while it shuts down.
    InfoLogPtr m_info_log{NewQueuedInfoLog()};
    std::unique_ptr<leveldb::Cache> m_cache;
    std::unique_ptr<const leveldb::FilterPolicy> m_filter;
    std::unique_ptr<leveldb::DB> m_db;
    std::set<Iterator*> m_iterators;
    leveldb::ReadOptions m_read_options;
    leveldb::ReadOptions m_iter_options;
    leveldb::WriteOptions m_write_options;
    leveldb::WriteOptions m_sync_options;
};

Iterator::~Iterator()
{
    if (m_db) m_db->Forget(this);
}

void Iterator::Close(const Napi::CallbackInfo&)
{
    if (m_db) m_db->Forget(this);
    Release();
}

Napi::Object Init(Napi::Env env, Napi::Object exports)
{
    auto* iterator_ctor = new Napi::FunctionReference(Napi::Persistent(Iterator::Define(env)));
    env.SetInstanceData<Napi::FunctionReference>(iterator_ctor);
    exports.Set("Database", Database::Define(env));
    exports.Set("Iterator", iterator_ctor->Value());
    exports.Set("decodeBlockIndexRun", Napi::Function::New<DecodeBlockIndexRun>(env, "decodeBlockIndexRun"));
    return exports;
}

} // namespace

NODE_API_MODULE(leveldb, Init)

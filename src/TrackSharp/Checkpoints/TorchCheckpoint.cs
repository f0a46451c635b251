using System.Buffers.Binary;
using System.Collections;
using System.IO.Compression;
using System.Numerics;
using System.Text;
using Razorvine.Pickle;
using TorchSharp;
using static TorchSharp.torch;

namespace TrackSharp.Checkpoints;

/// <summary>
/// A file written by <c>torch.save</c> (zip format, PyTorch &gt;= 1.6), read without Python: <c>&lt;name&gt;/data.pkl</c>
/// is unpickled (Razorvine.Pickle) and every tensor is rebuilt from its storage (<c>&lt;name&gt;/data/&lt;key&gt;</c>),
/// storage offset, size and stride with as_strided semantics, as a contiguous CPU tensor that owns its memory.
/// <para>
/// <see cref="Root"/> is a plain object tree: <see cref="OrderedDictionary{TKey,TValue}"/> (string keys, insertion
/// order kept; non-string keys such as optimizer-state indices become their Python text, "0", "1", ...),
/// <see cref="List{T}"/> for lists, <c>object?[]</c> for tuples, <see cref="Tensor"/>, <see cref="double"/>,
/// <see cref="long"/>, <see cref="string"/>, <see cref="bool"/>, <c>byte[]</c>, null; numpy scalars become
/// double / long / bool, numpy arrays <see cref="NpyArray"/>; anything else a <see cref="PickleObject"/> or
/// <see cref="PickleGlobal"/> placeholder (unpickling never fails on parts the caller may not need).
/// </para>
/// <para>
/// Razorvine's process-wide constructor registry is neither used nor modified: every GLOBAL of the pickle is routed
/// to this load's own resolver, so TorchSharp.PyBridge (which registers its own constructors there) keeps working
/// and concurrent loads do not interfere.
/// </para>
/// Disposing the checkpoint disposes every tensor it created.
/// </summary>
public sealed class TorchCheckpoint : IDisposable
{
    private readonly List<Tensor> _tensors;

    private TorchCheckpoint(string source, object? root, List<Tensor> tensors, int storageReads)
    {
        Source = source;
        Root = root;
        _tensors = tensors;
        StorageReads = storageReads;
    }

    /// <summary>How many storage entries were read from the archive (each at most once, however many tensors share it).</summary>
    internal int StorageReads { get; }

    /// <summary>The file path (or stream name) the checkpoint was read from; used in every message.</summary>
    public string Source { get; }

    /// <summary>The unpickled object tree (see the class remarks for the types).</summary>
    public object? Root { get; }

    /// <summary>Every tensor created by the load (each owned by this checkpoint until it is disposed).</summary>
    public IReadOnlyList<Tensor> Tensors => _tensors;

    /// <summary>Reads a <c>torch.save</c> file. Throws <see cref="FileNotFoundException"/> or
    /// <see cref="CheckpointFormatException"/> (legacy format, not a torch file, truncated, corrupt) naming it.</summary>
    public static TorchCheckpoint Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Checkpoint file '{path}' does not exist.", path);
        using var fs = File.OpenRead(path);
        return Load(fs, path);
    }

    /// <summary>Reads a <c>torch.save</c> zip from a stream; <paramref name="sourceName"/> names it in messages.</summary>
    public static TorchCheckpoint Load(Stream stream, string sourceName)
    {
        Stream s = stream;
        MemoryStream? copy = null;
        if (!stream.CanSeek)
        {
            copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            s = copy;
        }
        try
        {
            CheckSignature(s, sourceName);
            ZipArchive zip;
            try
            {
                zip = new ZipArchive(s, ZipArchiveMode.Read, leaveOpen: true);
            }
            catch (InvalidDataException e)
            {
                throw new CheckpointFormatException(sourceName,
                    $"Checkpoint '{sourceName}' is truncated or corrupt: its zip directory cannot be read ({e.Message}).", e);
            }
            using (zip)
            {
                return LoadZip(zip, sourceName);
            }
        }
        finally
        {
            copy?.Dispose();
        }
    }

    /// <summary>Object at a '/'-separated key path, e.g. "optimizer/param_groups/0/lr" (list/tuple items by
    /// index). Throws <see cref="KeyNotFoundException"/> naming the file and the path.</summary>
    public object? Get(string keyPath) => TryGet(keyPath, out var value)
        ? value
        : throw new KeyNotFoundException($"Checkpoint '{Source}' has no entry '{keyPath}'.");

    /// <summary>See <see cref="Get"/>.</summary>
    public bool TryGet(string keyPath, out object? value) => TryNavigate(Root, keyPath, out value);

    internal static bool TryNavigate(object? root, string keyPath, out object? value)
    {
        value = root;
        if (string.IsNullOrEmpty(keyPath)) return true;
        foreach (string part in keyPath.Split('/'))
        {
            switch (value)
            {
                case OrderedDictionary<string, object?> d when d.TryGetValue(part, out var v):
                    value = v;
                    break;
                case PickleObject po when po.Items.TryGetValue(part, out var v):
                    value = v;
                    break;
                case List<object?> l when int.TryParse(part, out int i) && i >= 0 && i < l.Count:
                    value = l[i];
                    break;
                case object?[] t when int.TryParse(part, out int i) && i >= 0 && i < t.Length:
                    value = t[i];
                    break;
                default:
                    value = null;
                    return false;
            }
        }
        return true;
    }

    public void Dispose()
    {
        foreach (var t in _tensors) t.Dispose();
        _tensors.Clear();
    }

    // ------------------------------------------------------------------------------------------------------------

    private static void CheckSignature(Stream s, string name)
    {
        long start = s.Position;
        var head = new byte[512];
        int n = 0, r;
        while (n < head.Length && (r = s.Read(head, n, head.Length - n)) > 0) n += r;
        s.Position = start;
        if (n == 0)
            throw new CheckpointFormatException(name, $"Checkpoint '{name}' is empty (0 bytes).");
        bool zip = n >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] is 3 or 5 && head[3] is 4 or 6;
        if (zip) return;
        bool tar = n >= 262 && Encoding.ASCII.GetString(head, 257, 5) == "ustar";
        if (head[0] == 0x80 || tar)
            throw new CheckpointFormatException(name,
                $"Checkpoint '{name}' uses the legacy (non-zip) torch.save format of PyTorch < 1.6, which TrackSharp " +
                "does not read. Re-save it with torch >= 1.6, e.g. torch.save(torch.load(old_path), new_path).");
        throw new CheckpointFormatException(name,
            $"'{name}' is not a PyTorch checkpoint: it is neither a torch.save zip archive nor a legacy torch file " +
            $"(first bytes {Convert.ToHexString(head, 0, Math.Min(n, 8))}).");
    }

    private static TorchCheckpoint LoadZip(ZipArchive zip, string name)
    {
        ZipArchiveEntry? pkl = zip.Entries
            .Where(e => e.FullName == "data.pkl" || (e.FullName.EndsWith("/data.pkl") && e.FullName.Count(c => c == '/') == 1))
            .OrderBy(e => e.FullName.Length)
            .FirstOrDefault();
        if (pkl is null)
            throw new CheckpointFormatException(name,
                $"'{name}' is a zip archive but not a torch.save checkpoint (no '<archive>/data.pkl' entry).");
        string prefix = pkl.FullName[..^"data.pkl".Length];

        var ctx = new LoadContext(zip, prefix, name);
        using var scope = torch.NewDisposeScope();
        try
        {
            string? byteOrder = ReadText(zip.GetEntry(prefix + "byteorder"));
            if (byteOrder is not null && byteOrder.Trim() is not ("little" or "big"))
                throw new CheckpointFormatException(name, $"Checkpoint '{name}': unknown byteorder '{byteOrder.Trim()}'.");
            ctx.BigEndian = byteOrder?.Trim() == "big";

            byte[] pickle = ReadAll(pkl, name);
            byte[] rewritten;
            try
            {
                rewritten = PickleRewriter.Rewrite(pickle);
            }
            catch (FormatException e)
            {
                throw new CheckpointFormatException(name, $"Checkpoint '{name}': '{pkl.FullName}' is not a valid pickle: {e.Message}.", e);
            }

            object? raw;
            using (var unpickler = new TorchUnpickler(ctx))
            {
                try
                {
                    raw = unpickler.loads(rewritten);
                }
                catch (CheckpointFormatException) { throw; }
                catch (Exception e)
                {
                    var inner = e is PickleException { InnerException: { } ie } ? ie : e;
                    if (inner is System.Reflection.TargetInvocationException { InnerException: { } tie }) inner = tie;
                    if (inner is CheckpointFormatException cfe) throw cfe;
                    throw new CheckpointFormatException(name,
                        $"Checkpoint '{name}': cannot unpickle '{pkl.FullName}': {inner.Message}", e);
                }
            }

            object? root = new TreeConverter().Convert(raw);
            foreach (var t in ctx.Created) t.DetachFromDisposeScope();
            return new TorchCheckpoint(name, root, ctx.Created, ctx.StorageReads);
        }
        catch (Exception e)
        {
            foreach (var t in ctx.Created) t.Dispose();
            if (e is CheckpointFormatException) throw;
            throw new CheckpointFormatException(name, $"Checkpoint '{name}' cannot be read: {e.Message}", e);
        }
    }

    private static string? ReadText(ZipArchiveEntry? e)
    {
        if (e is null) return null;
        using var s = e.Open();
        using var r = new StreamReader(s, Encoding.ASCII);
        return r.ReadToEnd();
    }

    internal static byte[] ReadAll(ZipArchiveEntry entry, string name)
    {
        try
        {
            using var s = entry.Open();
            var buffer = new byte[entry.Length];
            int n = 0, r;
            while (n < buffer.Length && (r = s.Read(buffer, n, buffer.Length - n)) > 0) n += r;
            if (n != buffer.Length)
                throw new CheckpointFormatException(name,
                    $"'{name}' is truncated: entry '{entry.FullName}' has {n} of its {buffer.Length} bytes.");
            return buffer;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException and not CheckpointFormatException)
        {
            throw new CheckpointFormatException(name,
                $"'{name}' is truncated or corrupt: entry '{entry.FullName}' cannot be read ({e.Message}).", e);
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    private sealed class TorchUnpickler : Unpickler
    {
        private readonly LoadContext _ctx;
        public TorchUnpickler(LoadContext ctx) => _ctx = ctx;
        protected override object persistentLoad(object pid) => _ctx.PersistentLoad(pid)!;
    }

    /// <summary>A resolved pickle GLOBAL: callable (REDUCE / NEWOBJ) and usable as a value.</summary>
    internal sealed class GlobalRef : IObjectConstructor
    {
        private readonly Func<object?[], object?> _construct;

        public GlobalRef(PickleGlobal global, Func<object?[], object?>? construct = null)
        {
            Global = global;
            _construct = construct ?? (args => new RawObject(global, args));
        }

        public PickleGlobal Global { get; }
        public object construct(object[] args) => _construct(args)!;
    }

    /// <summary>A storage persistent id: ('storage', storage_type, key, location, numel).</summary>
    internal sealed class StorageRef
    {
        public required LoadContext Context { get; init; }
        public required string Key { get; init; }
        public required ScalarType? DType { get; init; }
        public required string Location { get; init; }
        public required PickleGlobal Type { get; init; }
    }

    internal sealed class LoadContext
    {
        private readonly ZipArchive _zip;
        private readonly string _prefix;
        private readonly Dictionary<string, byte[]> _storageBytes = new();
        private readonly Dictionary<(string, ScalarType), Tensor> _storageTensors = new();

        public LoadContext(ZipArchive zip, string prefix, string name)
        {
            _zip = zip;
            _prefix = prefix;
            Name = name;
        }

        public string Name { get; }
        public bool BigEndian { get; set; }
        public List<Tensor> Created { get; } = new();

        /// <summary>How many storages were read from the archive (each once).</summary>
        public int StorageReads { get; private set; }

        public object? PersistentLoad(object pid)
        {
            if (pid is object?[] t && t.Length >= 1 && t[0] is string tag)
            {
                if (tag == PickleRewriter.GlobalMarker && t.Length == 3 && t[1] is string module && t[2] is string name)
                    return ResolveGlobal(module, name);
                if (tag == PickleRewriter.DictMarker)
                    return new OrderedHashtable();
                if (tag == "storage" && t.Length >= 4)
                {
                    PickleGlobal type = t[1] is GlobalRef g ? g.Global : new PickleGlobal("torch", t[1]?.ToString() ?? "?");
                    return new StorageRef
                    {
                        Context = this,
                        Type = type,
                        DType = StorageDType(type.Name),
                        Key = PickleConvert.KeyToString(t[2]),
                        Location = t[3]?.ToString() ?? "",
                    };
                }
            }
            return new RawObject(new PickleGlobal("persistent_id", PickleConvert.KeyToString(pid)), Array.Empty<object?>());
        }

        private byte[] StorageBytes(StorageRef s, int elementSize)
        {
            if (!_storageBytes.TryGetValue(s.Key, out var bytes))
            {
                var entry = _zip.GetEntry(_prefix + "data/" + s.Key)
                    ?? throw new CheckpointFormatException(Name,
                        $"Checkpoint '{Name}' is incomplete: storage entry '{_prefix}data/{s.Key}' is missing.");
                bytes = ReadAll(entry, Name);
                StorageReads++;
                if (BigEndian && elementSize > 1)
                {
                    for (int i = 0; i + elementSize <= bytes.Length; i += elementSize)
                        Array.Reverse(bytes, i, elementSize);
                }
                _storageBytes[s.Key] = bytes;
            }
            return bytes;
        }

        public object RebuildTensor(PickleGlobal g, object?[] args, ScalarType? dtypeOverride)
        {
            object? storageObj = Arg(args, 0), offsetObj = Arg(args, 1), sizeObj = Arg(args, 2), strideObj = Arg(args, 3);
            if (storageObj is not StorageRef st)
                throw new FormatException($"tensor storage is {PickleConvert.Describe(storageObj)}, expected a storage");
            // A dtype this reader cannot represent gives a placeholder, not a failed load (the caller may not need it).
            if ((dtypeOverride ?? st.DType) is not { } dtype || ElementSize(dtype) == 0)
                return new RawObject(g, args);
            int es = ElementSize(dtype);
            long offset = PickleConvert.ToLong(offsetObj, "storage_offset");
            long[] size = PickleConvert.ToLongArray(sizeObj, "tensor size");
            long[] stride = PickleConvert.ToLongArray(strideObj, "tensor stride");
            if (size.Length != stride.Length)
                throw new FormatException($"tensor on storage '{st.Key}': size has {size.Length} dims, stride {stride.Length}");
            if (size.Any(d => d < 0) || stride.Any(d => d < 0) || offset < 0)
                throw new FormatException($"tensor on storage '{st.Key}': negative size, stride or offset");

            byte[] bytes = StorageBytes(st, es);
            long storageNumel = bytes.Length / es;
            long numel = 1;
            foreach (long d in size) numel *= d;

            var result = torch.empty(size, dtype);
            Created.Add(result);
            if (numel == 0) return result;

            long last = offset;
            for (int i = 0; i < size.Length; i++) last += (size[i] - 1) * stride[i];
            if (last >= storageNumel)
                throw new CheckpointFormatException(Name,
                    $"Checkpoint '{Name}' is corrupt: a tensor of size [{string.Join(", ", size)}] (offset {offset}, " +
                    $"stride [{string.Join(", ", stride)}]) needs {last + 1} elements but storage '{st.Key}' holds {storageNumel}.");

            if (IsContiguous(size, stride))
            {
                result.bytes = bytes.AsSpan(checked((int)(offset * es)), checked((int)(numel * es)));
            }
            else
            {
                if (!_storageTensors.TryGetValue((st.Key, dtype), out var storageTensor))
                {
                    storageTensor = torch.empty(storageNumel, dtype);
                    storageTensor.bytes = bytes.AsSpan(0, checked((int)(storageNumel * es)));
                    _storageTensors[(st.Key, dtype)] = storageTensor;
                }
                using var view = storageTensor.as_strided(size, stride, offset);
                result.copy_(view);
            }
            return result;
        }

        private static bool IsContiguous(long[] size, long[] stride)
        {
            long expected = 1;
            for (int i = size.Length - 1; i >= 0; i--)
            {
                if (size[i] != 1 && stride[i] != expected) return false;
                expected *= size[i];
            }
            return true;
        }

        private object? ResolveGlobal(string module, string name)
        {
            var g = new PickleGlobal(module, name);
            string numpyCore = module is "numpy.core.multiarray" or "numpy._core.multiarray" ? "np.multiarray" : module;
            Func<object?[], object?>? f = (numpyCore, name) switch
            {
                ("torch._utils", "_rebuild_tensor_v2") or ("torch._utils", "_rebuild_tensor") =>
                    a => RebuildTensor(g, a, null),
                ("torch._utils", "_rebuild_tensor_v3") =>
                    a => RebuildTensor(g, a, TorchDType(Arg(a, 6))),
                ("torch._utils", "_rebuild_parameter") or ("torch._utils", "_rebuild_parameter_with_state") =>
                    a => Arg(a, 0),
                ("torch._tensor", "_rebuild_from_type_v2") or ("torch._tensor", "_rebuild_from_type") =>
                    a => Arg(a, 0) is IObjectConstructor fn && Arg(a, 2) is object?[] fargs ? fn.construct(fargs!) : new RawObject(g, a),
                ("collections", "OrderedDict") or ("builtins", "dict") or ("__builtin__", "dict") => NewDict,
                ("builtins", "set") or ("builtins", "frozenset") or ("__builtin__", "set") or ("__builtin__", "frozenset") =>
                    a => new HashSet<object?>(Arg(a, 0) is IEnumerable e ? e.Cast<object?>() : Array.Empty<object?>()),
                ("builtins", "bytearray") or ("builtins", "bytes") or ("__builtin__", "bytearray") or ("__builtin__", "bytes") =>
                    a => a.Length == 0 ? Array.Empty<byte>() : Encode(a),
                ("builtins", "complex") or ("__builtin__", "complex") =>
                    a => new Complex(a.Length > 0 ? System.Convert.ToDouble(a[0]) : 0, a.Length > 1 ? System.Convert.ToDouble(a[1]) : 0),
                ("_codecs", "encode") => Encode,
                ("numpy", "dtype") => a => new RawNumpyDType(Arg(a, 0)?.ToString() ?? "O8"),
                ("np.multiarray", "scalar") => NumpyScalar,
                ("np.multiarray", "_reconstruct") => _ => new RawNumpyArray(),
                _ => null,
            };
            return new GlobalRef(g, f == null ? null : a => Safe(g, f, a));
        }

        // A constructor that cannot interpret its arguments yields a placeholder instead of failing the load;
        // tensor rebuilding is the exception (a tensor that cannot be rebuilt means a corrupt file).
        private static object? Safe(PickleGlobal g, Func<object?[], object?> f, object?[] args)
        {
            if (g.Module == "torch._utils" && g.Name.StartsWith("_rebuild_tensor", StringComparison.Ordinal))
                return f(args);
            try
            {
                return f(args);
            }
            catch (CheckpointFormatException) { throw; }
            catch (Exception)
            {
                return new RawObject(g, args);
            }
        }

        private static object? Arg(object?[] a, int i) => i < a.Length ? a[i] : null;

        private static object NewDict(object?[] a)
        {
            var d = new OrderedHashtable();
            if (a.Length > 0 && a[0] is IEnumerable items and not string)
            {
                foreach (var item in items)
                {
                    if (item is object?[] { Length: 2 } kv) d[kv[0]!] = kv[1];
                    else if (item is IList { Count: 2 } l) d[l[0]!] = l[1];
                }
            }
            return d;
        }

        private static object Encode(object?[] a)
        {
            if (a.Length > 0 && a[0] is byte[] b) return b;
            string s = a.Length > 0 ? a[0]?.ToString() ?? "" : "";
            string enc = (a.Length > 1 ? a[1]?.ToString() : null)?.ToLowerInvariant().Replace("_", "-") ?? "utf-8";
            return enc switch
            {
                "latin1" or "latin-1" or "iso-8859-1" or "iso8859-1" or "l1" => Encoding.Latin1.GetBytes(s),
                "ascii" or "us-ascii" => Encoding.ASCII.GetBytes(s),
                _ => Encoding.UTF8.GetBytes(s),
            };
        }

        private static object? NumpyScalar(object?[] a)
        {
            if (Arg(a, 0) is not RawNumpyDType dt) throw new FormatException("numpy scalar without a dtype");
            char kind = dt.Descr[0];
            if (kind == 'O') return Arg(a, 1);
            byte[] data = PickleConvert.AsBytes(Arg(a, 1)) ?? throw new FormatException("numpy scalar without data");
            return NpyArray.FromRaw(dt.FullDescr, Array.Empty<long>(), data, false).ScalarValue();
        }

        private static ScalarType? TorchDType(object? o)
        {
            string? n = o is GlobalRef g ? g.Global.Name : o as string;
            return n switch
            {
                "float32" or "float" => ScalarType.Float32,
                "float64" or "double" => ScalarType.Float64,
                "float16" or "half" => ScalarType.Float16,
                "bfloat16" => ScalarType.BFloat16,
                "int64" or "long" => ScalarType.Int64,
                "int32" or "int" => ScalarType.Int32,
                "int16" or "short" => ScalarType.Int16,
                "int8" => ScalarType.Int8,
                "uint8" => ScalarType.Byte,
                "bool" => ScalarType.Bool,
                "complex64" or "cfloat" => ScalarType.ComplexFloat32,
                "complex128" or "cdouble" => ScalarType.ComplexFloat64,
                _ => null,
            };
        }

        private static ScalarType? StorageDType(string typeName) => typeName switch
        {
            "FloatStorage" => ScalarType.Float32,
            "DoubleStorage" => ScalarType.Float64,
            "HalfStorage" => ScalarType.Float16,
            "BFloat16Storage" => ScalarType.BFloat16,
            "LongStorage" => ScalarType.Int64,
            "IntStorage" => ScalarType.Int32,
            "ShortStorage" => ScalarType.Int16,
            "CharStorage" => ScalarType.Int8,
            "ByteStorage" => ScalarType.Byte,
            "BoolStorage" => ScalarType.Bool,
            "ComplexFloatStorage" => ScalarType.ComplexFloat32,
            "ComplexDoubleStorage" => ScalarType.ComplexFloat64,
            "UntypedStorage" => ScalarType.Byte,
            _ => null,
        };

        internal static int ElementSize(ScalarType t) => t switch
        {
            ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
            ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
            ScalarType.Int32 or ScalarType.Float32 => 4,
            ScalarType.Int64 or ScalarType.Float64 or ScalarType.ComplexFloat32 => 8,
            ScalarType.ComplexFloat64 => 16,
            _ => 0,
        };
    }

    /// <summary>Raw Razorvine values -> the public tree; shared references and cycles are preserved.</summary>
    private sealed class TreeConverter
    {
        private readonly Dictionary<object, object?> _done = new(ReferenceEqualityComparer.Instance);

        public object? Convert(object? o)
        {
            switch (o)
            {
                case null: return null;
                case string or bool or double or long or Tensor or byte[] or Complex: return o;
                case int i: return (long)i;
                case BigInteger bi: return bi >= long.MinValue && bi <= long.MaxValue ? (long)bi : bi;
                case float f: return (double)f;
            }
            if (_done.TryGetValue(o, out var done)) return done;
            switch (o)
            {
                case RawObject ro:
                {
                    var items = new OrderedDictionary<string, object?>();
                    var args = new List<object?>();
                    var po = new PickleObject(ro.Type, args, null, items);
                    _done[o] = po;
                    foreach (var a in ro.Args) args.Add(Convert(a));
                    po.State = Convert(ro.State);
                    foreach (var k in ro.OrderedKeys) items[PickleConvert.KeyToString(k)] = Convert(ro[k]);
                    return po;
                }
                case OrderedHashtable oh:
                {
                    var d = new OrderedDictionary<string, object?>();
                    _done[o] = d;
                    foreach (var k in oh.OrderedKeys) d[PickleConvert.KeyToString(k)] = Convert(oh[k]);
                    return d;
                }
                case Hashtable h:
                {
                    var d = new OrderedDictionary<string, object?>();
                    _done[o] = d;
                    foreach (DictionaryEntry e in h) d[PickleConvert.KeyToString(e.Key)] = Convert(e.Value);
                    return d;
                }
                case ArrayList al:
                {
                    var l = new List<object?>(al.Count);
                    _done[o] = l;
                    foreach (var x in al) l.Add(Convert(x));
                    return l;
                }
                case object?[] t:
                {
                    var c = new object?[t.Length];
                    _done[o] = c;
                    for (int i = 0; i < t.Length; i++) c[i] = Convert(t[i]);
                    return c;
                }
                case HashSet<object> hs:
                {
                    var s = new HashSet<object?>();
                    _done[o] = s;
                    foreach (var x in hs) s.Add(Convert(x));
                    return s;
                }
                case GlobalRef g:
                    return _done[o] = g.Global;
                case RawNumpyDType dt:
                    return _done[o] = new PickleObject(new PickleGlobal("numpy", "dtype"), new object?[] { dt.FullDescr },
                        Convert(dt.State), new OrderedDictionary<string, object?>());
                case RawNumpyArray na:
                    return _done[o] = ConvertNdArray(na);
                case StorageRef sr:
                    return _done[o] = new PickleObject(sr.Type, new object?[] { sr.Key, sr.Location }, null,
                        new OrderedDictionary<string, object?>());
                default:
                    return o;
            }
        }

        private object? ConvertNdArray(RawNumpyArray na)
        {
            // state = (version, shape, dtype, is_fortran, rawdata) or without the version (old pickles).
            if (na.State is object?[] st)
            {
                int o = st.Length == 5 ? 1 : 0;
                if (st.Length >= 4 + o && st[1 + o] is RawNumpyDType dt && PickleConvert.AsBytes(st[3 + o]) is { } data)
                {
                    try
                    {
                        long[] shape = PickleConvert.ToLongArray(st[o], "ndarray shape");
                        return NpyArray.FromRaw(dt.FullDescr, shape, data, st[2 + o] is true);
                    }
                    catch (Exception) { /* fall through to the placeholder */ }
                }
            }
            return new PickleObject(new PickleGlobal("numpy", "ndarray"), Array.Empty<object?>(), Convert(na.State),
                new OrderedDictionary<string, object?>());
        }
    }
}

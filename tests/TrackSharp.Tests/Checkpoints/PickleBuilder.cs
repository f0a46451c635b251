using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace TrackSharp.Tests.Checkpoints;

/// <summary>Writes pickle opcodes by hand (protocol 2, as torch.save does), for synthetic test checkpoints.</summary>
internal sealed class PickleBuilder
{
    private readonly MemoryStream _s = new();

    public PickleBuilder Proto(byte p = 2) { _s.WriteByte(0x80); _s.WriteByte(p); return this; }
    public PickleBuilder Mark() => Op('(');
    public PickleBuilder Stop() => Op('.');
    public PickleBuilder None() => Op('N');
    public PickleBuilder Bool(bool b) { _s.WriteByte(b ? (byte)0x88 : (byte)0x89); return this; }
    public PickleBuilder Tuple() => Op('t');
    public PickleBuilder Tuple2() { _s.WriteByte(0x86); return this; }
    public PickleBuilder EmptyTuple() => Op(')');
    public PickleBuilder EmptyDict() => Op('}');
    public PickleBuilder EmptyList() => Op(']');
    public PickleBuilder Appends() => Op('e');
    public PickleBuilder SetItem() => Op('s');
    public PickleBuilder SetItems() => Op('u');
    public PickleBuilder Reduce() => Op('R');
    public PickleBuilder NewObj() { _s.WriteByte(0x81); return this; }
    public PickleBuilder Build() => Op('b');
    public PickleBuilder BinPersId() => Op('Q');
    public PickleBuilder Put(byte i) { Op('q'); _s.WriteByte(i); return this; }
    public PickleBuilder Get(byte i) { Op('h'); _s.WriteByte(i); return this; }

    public PickleBuilder Int(int v)
    {
        Op('J');
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, v);
        _s.Write(b);
        return this;
    }

    public PickleBuilder Float(double v)
    {
        Op('G');
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(b, v);
        _s.Write(b);
        return this;
    }

    public PickleBuilder Str(string v)
    {
        byte[] u = Encoding.UTF8.GetBytes(v);
        Op('X');
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, u.Length);
        _s.Write(b);
        _s.Write(u);
        return this;
    }

    public PickleBuilder Global(string module, string name)
    {
        Op('c');
        _s.Write(Encoding.ASCII.GetBytes(module + "\n" + name + "\n"));
        return this;
    }

    /// <summary>A tuple of ints (MARK ints TUPLE).</summary>
    public PickleBuilder IntTuple(params long[] values)
    {
        Mark();
        foreach (var v in values) Int(checked((int)v));
        return Tuple();
    }

    /// <summary><c>torch._utils._rebuild_tensor_v2(('storage', torch.&lt;type&gt;, key, 'cpu', numel), offset, size, stride,
    /// False, OrderedDict())</c>.</summary>
    public PickleBuilder Tensor(string storageType, string key, long numel, long offset, long[] size, long[] stride)
    {
        Global("torch._utils", "_rebuild_tensor_v2");
        Mark();
        Mark().Str("storage").Global("torch", storageType).Str(key).Str("cpu").Int((int)numel).Tuple().BinPersId();
        Int((int)offset).IntTuple(size).IntTuple(stride).Bool(false);
        Global("collections", "OrderedDict").EmptyTuple().Reduce();
        Tuple().Reduce();
        return this;
    }

    public PickleBuilder Raw(params byte[] bytes) { _s.Write(bytes); return this; }

    private PickleBuilder Op(char c) { _s.WriteByte((byte)c); return this; }

    public byte[] ToArray() => _s.ToArray();
}

/// <summary>Writes a torch.save-style zip: &lt;name&gt;/data.pkl, &lt;name&gt;/data/&lt;key&gt;, &lt;name&gt;/version.</summary>
internal static class TorchZip
{
    public static void Write(string path, byte[] pickle, IReadOnlyDictionary<string, byte[]> storages,
        string archiveName = "archive", string? byteOrder = "little")
    {
        using var fs = File.Create(path);
        using var zip = new ZipArchive(fs, ZipArchiveMode.Create);
        void Add(string name, byte[] data)
        {
            var e = zip.CreateEntry(archiveName + "/" + name, CompressionLevel.NoCompression);
            using var s = e.Open();
            s.Write(data);
        }
        Add("data.pkl", pickle);
        if (byteOrder != null) Add("byteorder", Encoding.ASCII.GetBytes(byteOrder));
        foreach (var (k, v) in storages) Add("data/" + k, v);
        Add("version", Encoding.ASCII.GetBytes("3\n"));
    }

    public static byte[] Floats(params float[] v)
    {
        var b = new byte[v.Length * 4];
        for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(i * 4), v[i]);
        return b;
    }

    public static byte[] Longs(params long[] v)
    {
        var b = new byte[v.Length * 8];
        for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(i * 8), v[i]);
        return b;
    }

    /// <summary>A state dict (OrderedDict) of contiguous tensors, each on its own storage; the storage type follows
    /// the values' array type (float[] FloatStorage, double[] DoubleStorage, long[] LongStorage).</summary>
    public static void WriteStateDict(string path, IReadOnlyList<(string Name, long[] Shape, Array Values)> tensors,
        string archiveName = "archive")
    {
        var p = new PickleBuilder().Proto().Global("collections", "OrderedDict").EmptyTuple().Reduce().Mark();
        var storages = new Dictionary<string, byte[]>();
        for (int i = 0; i < tensors.Count; i++)
        {
            var (name, shape, values) = tensors[i];
            var stride = new long[shape.Length];
            long s = 1;
            for (int d = shape.Length - 1; d >= 0; d--) { stride[d] = s; s *= shape[d]; }
            (string type, byte[] bytes) = values switch
            {
                float[] f => ("FloatStorage", Floats(f)),
                double[] d => ("DoubleStorage", Doubles(d)),
                long[] l => ("LongStorage", Longs(l)),
                _ => throw new ArgumentException("unsupported values type"),
            };
            p.Str(name).Tensor(type, i.ToString(), values.Length, 0, shape, stride);
            storages[i.ToString()] = bytes;
        }
        p.SetItems().Stop();
        Write(path, p.ToArray(), storages, archiveName);
    }

    public static byte[] Doubles(params double[] v)
    {
        var b = new byte[v.Length * 8];
        for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(i * 8), v[i]);
        return b;
    }
}

/// <summary>A temporary folder deleted at dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tracksharp-ckpt-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

using System.Buffers.Binary;
using System.Text;
using TorchSharp;
using TrackSharp.Checkpoints;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.Checkpoints;

/// <summary>Hand-written torch.save archives (pickle opcodes written by hand, as protocol 2 torch.save emits them);
/// every expected value is worked out by hand in the comments.</summary>
public class SyntheticCheckpointTests
{
    [Fact]
    public void TensorsAreRebuiltWithAsStridedSemantics_SharedStorageReadOnce_EachTensorOwnsItsMemory()
    {
        using var dir = new TempDir();
        string path = dir.File("strided.pth");
        // storage "0" = float32 [0, 1, ..., 9]
        var p = new PickleBuilder().Proto().EmptyDict().Mark()
            // transposed: offset 1, size (2, 3), stride (1, 2): t[i][j] = s[1 + i + 2j] -> [[1, 3, 5], [2, 4, 6]]
            .Str("transposed").Tensor("FloatStorage", "0", 10, 1, new long[] { 2, 3 }, new long[] { 1, 2 })
            // contiguous slice: offset 4, size (3,) -> [4, 5, 6]
            .Str("slice").Tensor("FloatStorage", "0", 10, 4, new long[] { 3 }, new long[] { 1 })
            // 0-dim at offset 9 -> 9
            .Str("scalar").Tensor("FloatStorage", "0", 10, 9, Array.Empty<long>(), Array.Empty<long>())
            // broadcast (stride 0): size (2, 2), stride (0, 1), offset 7 -> [[7, 8], [7, 8]]
            .Str("expanded").Tensor("FloatStorage", "0", 10, 7, new long[] { 2, 2 }, new long[] { 0, 1 })
            // empty: size (0, 3)
            .Str("empty").Tensor("FloatStorage", "0", 10, 0, new long[] { 0, 3 }, new long[] { 3, 1 })
            .SetItems().Stop();
        TorchZip.Write(path, p.ToArray(), new Dictionary<string, byte[]>
        {
            ["0"] = TorchZip.Floats(0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
        });

        using var ckpt = TorchCheckpoint.Load(path);
        var root = (OrderedDictionary<string, object?>)ckpt.Root!;
        Assert.Equal(new[] { "transposed", "slice", "scalar", "expanded", "empty" }, root.Keys);
        var transposed = (Tensor)root["transposed"]!;
        Assert.Equal(new long[] { 2, 3 }, transposed.shape);
        Assert.True(transposed.is_contiguous());
        Assert.Equal(new float[] { 1, 3, 5, 2, 4, 6 }, transposed.data<float>().ToArray());
        var slice = (Tensor)root["slice"]!;
        Assert.Equal(new float[] { 4, 5, 6 }, slice.data<float>().ToArray());
        var scalar = (Tensor)root["scalar"]!;
        Assert.Empty(scalar.shape);
        Assert.Equal(9f, scalar.item<float>());
        Assert.Equal(new float[] { 7, 8, 7, 8 }, ((Tensor)root["expanded"]!).data<float>().ToArray());
        Assert.Equal(new long[] { 0, 3 }, ((Tensor)root["empty"]!).shape);

        Assert.Equal(1, ckpt.StorageReads);
        Assert.Equal(5, ckpt.Tensors.Count);
        // writing into one tensor must not show through another built from the same storage
        using (torch.no_grad()) slice.fill_(-1f);
        Assert.Equal(new float[] { 1, 3, 5, 2, 4, 6 }, transposed.data<float>().ToArray());
        Assert.Equal(9f, scalar.item<float>());
    }

    [Fact]
    public void AllSupportedDtypesAreReadBitExact()
    {
        using var dir = new TempDir();
        string path = dir.File("dtypes.pth");
        var storages = new Dictionary<string, byte[]>
        {
            ["f64"] = TorchZip.Doubles(1.5, -2.25),
            ["f16"] = new byte[] { 0x00, 0x3C, 0x00, 0xC0 }, // half 1.0 (0x3C00), -2.0 (0xC000)
            ["bf16"] = new byte[] { 0x80, 0x3F, 0x00, 0x3F }, // bfloat16 1.0 (0x3F80), 0.5 (0x3F00)
            ["i64"] = TorchZip.Longs(long.MaxValue, -3),
            ["i32"] = new byte[] { 0x00, 0x00, 0x00, 0x80, 0x07, 0x00, 0x00, 0x00 }, // int.MinValue, 7
            ["i16"] = new byte[] { 0x00, 0x80, 0x0C, 0x00 }, // -32768, 12
            ["i8"] = new byte[] { 0x80, 0x7F }, // -128, 127
            ["u8"] = new byte[] { 0x00, 0xFF }, // 0, 255
            ["b"] = new byte[] { 0x01, 0x00 }, // true, false
        };
        var types = new (string Key, string Storage)[]
        {
            ("f64", "DoubleStorage"), ("f16", "HalfStorage"), ("bf16", "BFloat16Storage"), ("i64", "LongStorage"),
            ("i32", "IntStorage"), ("i16", "ShortStorage"), ("i8", "CharStorage"), ("u8", "ByteStorage"), ("b", "BoolStorage"),
        };
        var p = new PickleBuilder().Proto().EmptyDict().Mark();
        foreach (var (key, storage) in types)
            p.Str(key).Tensor(storage, key, 2, 0, new long[] { 2 }, new long[] { 1 });
        p.SetItems().Stop();
        TorchZip.Write(path, p.ToArray(), storages);

        using var ckpt = TorchCheckpoint.Load(path);
        Tensor T(string k) => (Tensor)ckpt.Get(k)!;
        Assert.Equal(ScalarType.Float64, T("f64").dtype);
        Assert.Equal(new[] { 1.5, -2.25 }, T("f64").data<double>().ToArray());
        Assert.Equal(ScalarType.Float16, T("f16").dtype);
        Assert.Equal(new[] { 1f, -2f }, T("f16").to_type(ScalarType.Float32).data<float>().ToArray());
        Assert.Equal(ScalarType.BFloat16, T("bf16").dtype);
        Assert.Equal(new[] { 1f, 0.5f }, T("bf16").to_type(ScalarType.Float32).data<float>().ToArray());
        Assert.Equal(new[] { long.MaxValue, -3L }, T("i64").data<long>().ToArray());
        Assert.Equal(ScalarType.Int32, T("i32").dtype);
        Assert.Equal(new[] { int.MinValue, 7 }, T("i32").data<int>().ToArray());
        Assert.Equal(new short[] { -32768, 12 }, T("i16").data<short>().ToArray());
        Assert.Equal(new sbyte[] { -128, 127 }, T("i8").data<sbyte>().ToArray());
        Assert.Equal(new byte[] { 0, 255 }, T("u8").data<byte>().ToArray());
        Assert.Equal(new[] { true, false }, T("b").data<bool>().ToArray());
        foreach (var (key, _) in types)
            Assert.True(T(key).bytes.SequenceEqual(storages[key]), key);
    }

    [Fact]
    public void BigEndianArchivesAreByteSwapped()
    {
        using var dir = new TempDir();
        string path = dir.File("be.pth");
        var p = new PickleBuilder().Proto().Tensor("FloatStorage", "0", 2, 0, new long[] { 2 }, new long[] { 1 }).Stop();
        // big-endian float32 1.0 = 3F 80 00 00, 2.0 = 40 00 00 00
        TorchZip.Write(path, p.ToArray(), new Dictionary<string, byte[]> { ["0"] = new byte[] { 0x3F, 0x80, 0, 0, 0x40, 0, 0, 0 } },
            byteOrder: "big");
        using var ckpt = TorchCheckpoint.Load(path);
        Assert.Equal(new[] { 1f, 2f }, ((Tensor)ckpt.Root!).data<float>().ToArray());
    }

    /// <summary>The numpy objects a NanoTrack-style optimizer state holds, pickled as numpy does at protocol 2:
    /// scalar(dtype('f8', False, True) + BUILD state, _codecs.encode(latin1 text of the 8 bytes, 'latin1')).</summary>
    [Fact]
    public void NumpyScalarsArraysParametersAndUnknownClassesBecomePlainValuesOrPlaceholders()
    {
        using var dir = new TempDir();
        string path = dir.File("numpy.pth");
        var p = new PickleBuilder().Proto().EmptyDict().Mark();
        void Scalar(string key, string descr, byte[] bytes, string byteOrder)
        {
            p.Str(key).Global("numpy.core.multiarray", "scalar").Mark()
                .Global("numpy", "dtype").Mark().Str(descr).Bool(false).Bool(true).Tuple().Reduce()
                .Mark().Int(3).Str(byteOrder).None().None().None().Int(-1).Int(-1).Int(0).Tuple().Build()
                .Global("_codecs", "encode").Mark().Str(Encoding.Latin1.GetString(bytes)).Str("latin1").Tuple().Reduce()
                .Tuple().Reduce();
        }
        var lrBytes = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(lrBytes, 0.00017555958671075655);
        Scalar("lr", "f8", lrBytes, "<");
        Scalar("count", "i8", TorchZip.Longs(-5), "<");
        Scalar("flag", "b1", new byte[] { 1 }, "|");
        Scalar("half", "f4", TorchZip.Floats(0.5f), "<");

        // numpy.core.multiarray._reconstruct(numpy.ndarray, (0,), b'b') + BUILD (1, (2, 3), dtype('<f4'), False, data)
        p.Str("array").Global("numpy.core.multiarray", "_reconstruct").Mark()
            .Global("numpy", "ndarray").Put(10).Mark().Int(0).Tuple()
            .Global("_codecs", "encode").Mark().Str("b").Str("latin1").Tuple().Reduce().Tuple().Reduce()
            .Mark().Int(1).IntTuple(2, 3)
            .Global("numpy", "dtype").Mark().Str("f4").Bool(false).Bool(true).Tuple().Reduce()
            .Mark().Int(3).Str("<").None().None().None().Int(-1).Int(-1).Int(0).Tuple().Build()
            .Bool(false)
            .Global("_codecs", "encode").Mark().Str(Encoding.Latin1.GetString(TorchZip.Floats(1, 2, 3, 4, 5, 6))).Str("latin1").Tuple().Reduce()
            .Tuple().Build();

        // torch._utils._rebuild_parameter(tensor, True, OrderedDict()) -> the tensor (also memoised and reused)
        p.Str("param").Global("torch._utils", "_rebuild_parameter").Mark()
            .Tensor("FloatStorage", "0", 2, 0, new long[] { 2 }, new long[] { 1 }).Put(20).Bool(true)
            .Global("collections", "OrderedDict").EmptyTuple().Reduce().Tuple().Reduce();
        p.Str("same_tensor").Get(20);

        // an unknown class with constructor args and a BUILD state: settings = mymod.Settings(); settings.__dict__ = {...}
        p.Str("settings").Global("mymod", "Settings").EmptyTuple().NewObj()
            .EmptyDict().Str("lr").Float(0.1).SetItem().Build();
        // an unknown dict subclass with args and items: yacs CfgNode({'A': 1})
        p.Str("cfg").Global("yacs.config", "CfgNode").Mark().Str("x").Tuple().Reduce()
            .Mark().Str("b_second").Int(2).Str("a_first").Int(1).SetItems();
        // non-string keys and a class used as a value
        p.Str("by_index").EmptyDict().Mark().Int(1).Str("one").Int(0).Str("zero").SetItems();
        p.Str("cls").Global("torch", "float32");
        p.SetItems().Stop();
        TorchZip.Write(path, p.ToArray(), new Dictionary<string, byte[]> { ["0"] = TorchZip.Floats(7, 8) });

        using var ckpt = TorchCheckpoint.Load(path);
        var lr = Assert.IsType<double>(ckpt.Get("lr"));
        Assert.Equal(BitConverter.DoubleToInt64Bits(0.00017555958671075655), BitConverter.DoubleToInt64Bits(lr));
        Assert.Equal(-5L, ckpt.Get("count"));
        Assert.Equal(true, ckpt.Get("flag"));
        Assert.Equal(0.5, ckpt.Get("half"));

        var array = Assert.IsType<NpyArray>(ckpt.Get("array"));
        Assert.Equal(new long[] { 2, 3 }, array.Shape);
        Assert.Equal("float32", array.DType);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, array.ToFloatArray());

        var param = Assert.IsAssignableFrom<Tensor>(ckpt.Get("param"));
        Assert.Equal(new float[] { 7, 8 }, param.data<float>().ToArray());
        Assert.Same(param, ckpt.Get("same_tensor"));

        var settings = Assert.IsType<PickleObject>(ckpt.Get("settings"));
        Assert.Equal("mymod.Settings", settings.Type.FullName);
        var state = Assert.IsType<OrderedDictionary<string, object?>>(settings.State);
        Assert.Equal(0.1, state["lr"]);

        var cfg = Assert.IsType<PickleObject>(ckpt.Get("cfg"));
        Assert.Equal("yacs.config.CfgNode", cfg.Type.FullName);
        Assert.Equal(new object?[] { "x" }, cfg.Args);
        Assert.Equal(new[] { "b_second", "a_first" }, cfg.Items.Keys);
        Assert.Equal(2L, ckpt.Get("cfg/b_second"));

        var byIndex = Assert.IsType<OrderedDictionary<string, object?>>(ckpt.Get("by_index"));
        Assert.Equal(new[] { "1", "0" }, byIndex.Keys);
        Assert.Equal("zero", byIndex["0"]);
        Assert.Equal("torch.float32", Assert.IsType<PickleGlobal>(ckpt.Get("cls")).FullName);

        var root = (OrderedDictionary<string, object?>)ckpt.Root!;
        Assert.Equal(new[] { "lr", "count", "flag", "half", "array", "param", "same_tensor", "settings", "cfg", "by_index", "cls" },
            root.Keys);
    }

    // ------------------------------------------------------------------------------------------------ errors

    [Fact]
    public void LegacyNonZipTorchFile_SaysResaveWithTorch16()
    {
        using var dir = new TempDir();
        string path = dir.File("legacy.pth");
        // legacy torch.save starts with a protocol-2 pickle of the magic number 0x1950a86a20f9469cfc6c
        File.WriteAllBytes(path, new byte[] { 0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e });
        var e = Assert.Throws<CheckpointFormatException>(() => TorchCheckpoint.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("torch >= 1.6", e.Message);
        Assert.Contains("legacy", e.Message);
        Assert.Equal(path, e.FilePath);
    }

    [Fact]
    public void NotATorchFile_IsNamed()
    {
        using var dir = new TempDir();
        string path = dir.File("notes.pth");
        File.WriteAllText(path, "hello, this is not a checkpoint");
        var e = Assert.Throws<CheckpointFormatException>(() => TorchCheckpoint.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("not a PyTorch checkpoint", e.Message);

        string empty = dir.File("empty.pth");
        File.WriteAllBytes(empty, Array.Empty<byte>());
        e = Assert.Throws<CheckpointFormatException>(() => TorchCheckpoint.Load(empty));
        Assert.Contains(empty, e.Message);

        string missing = dir.File("missing.pth");
        var nf = Assert.Throws<FileNotFoundException>(() => TorchCheckpoint.Load(missing));
        Assert.Contains(missing, nf.Message);
    }

    [Fact]
    public void TruncatedRealCheckpoint_IsNamedAsTruncated()
    {
        using var dir = new TempDir();
        string path = dir.File("nanotrackv1_truncated.pth");
        byte[] full = File.ReadAllBytes(Path.Combine(TestPaths.Shared, "weights/nanotrack/nanotrackv1.pth"));
        File.WriteAllBytes(path, full.AsSpan(0, full.Length / 2).ToArray());
        var e = Assert.Throws<CheckpointFormatException>(() => TorchCheckpoint.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void CorruptArchives_AreNamed()
    {
        using var dir = new TempDir();

        // zip without data.pkl
        string noPkl = dir.File("nopkl.pth");
        using (var fs = File.Create(noPkl))
        using (var zip = new System.IO.Compression.ZipArchive(fs, System.IO.Compression.ZipArchiveMode.Create))
            zip.CreateEntry("something/else.txt");
        var e = Assert.Throws<CheckpointFormatException>(() => TorchCheckpoint.Load(noPkl));
        Assert.Contains(noPkl, e.Message);
        Assert.Contains("data.pkl", e.Message);

        // storage entry missing
        string noStorage = dir.File("nostorage.pth");
        TorchZip.Write(noStorage, new PickleBuilder().Proto().Tensor("FloatStorage", "0", 2, 0, new long[] { 2 }, new long[] { 1 }).Stop().ToArray(),
            new Dictionary<string, byte[]>());
        e = Assert.Throws<CheckpointFormatException>(() => TorchCheckpoint.Load(noStorage));
        Assert.Contains(noStorage, e.Message);
        Assert.Contains("archive/data/0", e.Message);

        // storage too short for the tensor: 3 elements needed, 2 present
        string shortStorage = dir.File("short.pth");
        TorchZip.Write(shortStorage, new PickleBuilder().Proto().Tensor("FloatStorage", "0", 3, 0, new long[] { 3 }, new long[] { 1 }).Stop().ToArray(),
            new Dictionary<string, byte[]> { ["0"] = TorchZip.Floats(1, 2) });
        e = Assert.Throws<CheckpointFormatException>(() => TorchCheckpoint.Load(shortStorage));
        Assert.Contains(shortStorage, e.Message);
        Assert.Contains("corrupt", e.Message);

        // data.pkl cut in the middle of an opcode stream
        string cutPickle = dir.File("cut.pth");
        byte[] pkl = new PickleBuilder().Proto().EmptyDict().Mark().Str("a").Int(1).Str("b").Int(2).SetItems().Stop().ToArray();
        TorchZip.Write(cutPickle, pkl.AsSpan(0, pkl.Length - 6).ToArray(), new Dictionary<string, byte[]>());
        e = Assert.Throws<CheckpointFormatException>(() => TorchCheckpoint.Load(cutPickle));
        Assert.Contains(cutPickle, e.Message);
        Assert.Contains("data.pkl", e.Message);
    }
}

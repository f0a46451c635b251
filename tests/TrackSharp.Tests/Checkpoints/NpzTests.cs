using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using TorchSharp;
using TrackSharp.Checkpoints;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.Checkpoints;

public class NpzTests
{
    /// <summary>(npz file, json file, how the json lists the keys).</summary>
    public static TheoryData<string, string, string> GoldenManifests() => new()
    {
        { "golden/ostrack_small/train_step.npz", "golden/ostrack_small/train_step.json", "npz_keys" },
        { "golden/ostrack_small/processing.npz", "golden/ostrack_small/processing.json", "npz_keys" },
        { "golden/ostrack_small/tracking/track.npz", "golden/ostrack_small/tracking/track.json", "npz_keys" },
        { "golden/trdimp_small/init.npz", "golden/trdimp_small/manifest.json", "init.npz" },
        { "golden/trdimp_small/track.npz", "golden/trdimp_small/manifest.json", "track.npz" },
        { "golden/trdimp_small/train_step.npz", "golden/trdimp_small/manifest.json", "train_step.npz" },
        { "golden/trdimp_small/unit_cases.npz", "golden/trdimp_small/manifest.json", "unit_cases.npz" },
        { "golden/siamban_small/forward.npz", "golden/siamban_small/meta.json", "files/forward.npz" },
        { "golden/siamban_small/train_step.npz", "golden/siamban_small/meta.json", "files/train_step.npz" },
        { "golden/siamban_small/point_target.npz", "golden/siamban_small/meta.json", "files/point_target.npz" },
    };

    /// <summary>Golden: the json manifests written next to each npz list every key with shape and dtype.</summary>
    [Theory]
    [MemberData(nameof(GoldenManifests))]
    public void GoldenNpz_KeysShapesAndDtypesMatchTheirManifest(string npzFile, string jsonFile, string keysPath)
    {
        using var npz = Npz.Load(Path.Combine(TestPaths.Shared, npzFile));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.Shared, jsonFile)));
        var keys = json.RootElement;
        foreach (var part in keysPath.Split('/')) keys = keys.GetProperty(part);

        var expected = keys.EnumerateObject().ToList();
        Assert.Equal(expected.Select(e => e.Name).Order(), npz.Keys.Order());
        foreach (var e in expected)
        {
            var (shape, dtype) = e.Value.ValueKind == JsonValueKind.Array
                ? (e.Value[0], e.Value[1].GetString()!)
                : (e.Value.GetProperty("shape"), e.Value.GetProperty("dtype").GetString()!);
            var a = npz[e.Name];
            Assert.Equal(shape.EnumerateArray().Select(x => x.GetInt64()), a.Shape);
            Assert.Equal(dtype, dtype.StartsWith("<U") ? a.Descr : a.DType);
            long n = a.Kind switch
            {
                'f' => a.ToDoubleArray().LongLength,
                'i' or 'u' or 'b' => a.ToLongArray().LongLength,
                _ => a.ToStringArray().LongLength,
            };
            Assert.Equal(a.Count, n);
        }
    }

    // ------------------------------------------------------------------------------------- hand-made .npy files

    private static byte[] Npy(int major, string header, byte[] data)
    {
        // pad the header with spaces + '\n' to a multiple of 64 bytes, as numpy does
        int lenBytes = major == 1 ? 2 : 4;
        byte[] h = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetBytes(header);
        int total = 6 + 2 + lenBytes + h.Length + 1;
        int pad = (64 - total % 64) % 64;
        var ms = new MemoryStream();
        ms.WriteByte(0x93);
        ms.Write(Encoding.ASCII.GetBytes("NUMPY"));
        ms.WriteByte((byte)major);
        ms.WriteByte(0);
        var len = new byte[lenBytes];
        if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)(h.Length + pad + 1));
        else BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)(h.Length + pad + 1));
        ms.Write(len);
        ms.Write(h);
        for (int i = 0; i < pad; i++) ms.WriteByte((byte)' ');
        ms.WriteByte((byte)'\n');
        ms.Write(data);
        return ms.ToArray();
    }

    private static string WriteNpz(TempDir dir, params (string Entry, byte[] Content)[] entries)
    {
        string path = dir.File("test.npz");
        using var fs = File.Create(path);
        using var zip = new ZipArchive(fs, ZipArchiveMode.Create);
        foreach (var (name, content) in entries)
        {
            using var s = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
            s.Write(content);
        }
        return path;
    }

    private static byte[] Utf32(string s, int width)
    {
        var b = new byte[width * 4];
        Encoding.UTF32.GetBytes(s).CopyTo(b, 0);
        return b;
    }

    [Fact]
    public void HandMadeNpy_AllHeaderVersionsDtypesAndFortranOrder()
    {
        using var dir = new TempDir();
        string path = WriteNpz(dir,
            ("track/cls.npy", Npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", TorchZip.Doubles(1.5, -2, 3))),
            // F-order bytes of [[1, 2, 3], [4, 5, 6]] are 1 4 2 5 3 6
            ("fortran.npy", Npy(2, "{'descr': '<i2', 'fortran_order': True, 'shape': (2, 3), }",
                new byte[] { 1, 0, 4, 0, 2, 0, 5, 0, 3, 0, 6, 0 })),
            ("names.npy", Npy(3, "{'descr': '<U3', 'fortran_order': False, 'shape': (2,), }",
                Utf32("ab", 3).Concat(Utf32("é€x", 3)).ToArray())),
            ("flag.npy", Npy(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (), }", new byte[] { 1 })),
            ("ints.npy", Npy(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }",
                new byte[] { 1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0x80, 9, 0, 0, 0 })),
            ("bytes.npy", Npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", new byte[] { 0, 128, 255 })),
            ("empty.npy", Npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4), }", Array.Empty<byte>())),
            ("big.npy", Npy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", new byte[] { 0x3F, 0x80, 0, 0 })),
            ("longs.npy", Npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", TorchZip.Longs(long.MinValue, 42))));

        using var npz = Npz.Load(path);
        Assert.Equal(new[] { "track/cls", "fortran", "names", "flag", "ints", "bytes", "empty", "big", "longs" }, npz.Keys);

        Assert.Equal(new[] { 1.5, -2, 3 }, npz["track/cls"].ToDoubleArray());
        Assert.Equal("float64", npz["track/cls"].DType);

        var f = npz["fortran"];
        Assert.Equal(new long[] { 2, 3 }, f.Shape);
        Assert.Equal(new long[] { 1, 2, 3, 4, 5, 6 }, f.ToLongArray());
        Assert.Equal("int16", f.DType);

        Assert.Equal(new[] { "ab", "é€x" }, npz["names"].ToStringArray());
        Assert.Equal("str", npz["names"].DType);

        Assert.Empty(npz["flag"].Shape);
        Assert.Equal(true, npz["flag"].ScalarValue());
        Assert.Equal(new[] { true }, npz["flag"].ToBoolArray());

        Assert.Equal(new[] { 1, -1, int.MinValue, 9 }, npz["ints"].ToIntArray());
        using (var t = npz.Tensor("ints"))
        {
            Assert.Equal(ScalarType.Int32, t.dtype);
            Assert.Equal(new long[] { 2, 2 }, t.shape);
            Assert.Equal(new[] { 1, -1, int.MinValue, 9 }, t.data<int>().ToArray());
        }

        Assert.Equal(new byte[] { 0, 128, 255 }, npz["bytes"].ToByteArray());
        Assert.Equal(new long[] { 0, 4 }, npz["empty"].Shape);
        Assert.Empty(npz["empty"].ToFloatArray());
        using (var t = npz["empty"].ToTensor()) Assert.Equal(new long[] { 0, 4 }, t.shape);
        Assert.Equal(new[] { 1f }, npz["big"].ToFloatArray());
        Assert.Equal(new[] { long.MinValue, 42 }, npz["longs"].ToLongArray());

        var wrong = Assert.Throws<InvalidOperationException>(() => npz["names"].ToFloatArray());
        Assert.Contains("str", wrong.Message);
        var missing = Assert.Throws<KeyNotFoundException>(() => npz["nope"]);
        Assert.Contains(path, missing.Message);
    }

    [Fact]
    public void Float32Npy_ToTensorIsBitExact()
    {
        using var dir = new TempDir();
        float[] values = { 0.1f, -0f, float.Epsilon, float.MaxValue, float.NaN, -3.25f };
        string path = WriteNpz(dir, ("x.npy", Npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", TorchZip.Floats(values))));
        using var npz = Npz.Load(path);
        using var t = npz.Tensor("x");
        Assert.Equal(ScalarType.Float32, t.dtype);
        Assert.Equal(new long[] { 2, 3 }, t.shape);
        Assert.True(t.bytes.SequenceEqual(TorchZip.Floats(values)));
    }

    [Fact]
    public void BadNpyEntries_NameTheFileAndEntry()
    {
        using var dir = new TempDir();
        string path = WriteNpz(dir,
            ("structured.npy", Npy(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new byte[4])),
            ("short.npy", Npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }", new byte[16])),
            ("nomagic.npy", Encoding.ASCII.GetBytes("not an npy file at all")));
        using var npz = Npz.Load(path);
        foreach (var key in new[] { "structured", "short", "nomagic" })
        {
            var e = Assert.Throws<CheckpointFormatException>(() => npz[key]);
            Assert.Contains(path, e.Message);
            Assert.Contains(key + ".npy", e.Message);
        }

        string notZip = dir.File("bad.npz");
        File.WriteAllText(notZip, "garbage");
        var e2 = Assert.Throws<CheckpointFormatException>(() => Npz.Load(notZip));
        Assert.Contains(notZip, e2.Message);
    }
}

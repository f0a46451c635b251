using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace TrackSharp.Tests.Baselines;

/// <summary>
/// Minimal .npz/.npy reader for the baseline tests only (little-endian, C order; dtypes u1, i8, f4, f8), kept until
/// the library's own npz reader exists; delete it then.
/// </summary>
internal sealed class TestNpy
{
    public required string Dtype { get; init; }
    public required int[] Shape { get; init; }
    public required byte[] Data { get; init; }

    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    public static TestNpy FromNpz(string npzPath, string key)
    {
        using var zip = ZipFile.OpenRead(npzPath);
        var entry = zip.GetEntry(key + ".npy") ?? throw new KeyNotFoundException($"{npzPath}: no key '{key}'");
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Parse(buffer.ToArray(), $"{npzPath}:{key}");
    }

    private static TestNpy Parse(byte[] bytes, string what)
    {
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
            throw new InvalidDataException($"{what}: not an .npy array");
        int major = bytes[6];
        int headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8))
                                      : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        int headerStart = major == 1 ? 10 : 12;
        string header = Encoding.ASCII.GetString(bytes, headerStart, headerLength);
        string descr = Regex.Match(header, @"'descr':\s*'([^']*)'").Groups[1].Value;
        if (Regex.IsMatch(header, @"'fortran_order':\s*True"))
            throw new InvalidDataException($"{what}: Fortran order not supported");
        int[] shape = Regex.Match(header, @"'shape':\s*\(([^)]*)\)").Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(int.Parse).ToArray();
        string dtype = descr.TrimStart('<', '|', '=');
        if (dtype is not ("u1" or "i8" or "f4" or "f8"))
            throw new InvalidDataException($"{what}: dtype '{descr}' not supported");
        return new TestNpy { Dtype = dtype, Shape = shape, Data = bytes[(headerStart + headerLength)..] };
    }

    public float[] ToFloat32()
    {
        if (Dtype != "f4") throw new InvalidOperationException($"dtype is {Dtype}, not f4");
        var result = new float[Count];
        Buffer.BlockCopy(Data, 0, result, 0, result.Length * 4);
        return result;
    }

    public byte[] ToUInt8()
    {
        if (Dtype != "u1") throw new InvalidOperationException($"dtype is {Dtype}, not u1");
        return Data[..(int)Count];
    }
}

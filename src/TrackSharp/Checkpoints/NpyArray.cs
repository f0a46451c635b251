using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace TrackSharp.Checkpoints;

/// <summary>
/// One numpy array as stored in a .npy file (or pickled in a checkpoint): dtype, shape and the raw little-endian
/// element bytes in C (row-major) order (Fortran-ordered input is reordered on load).
/// Supported dtypes: bool, int8/16/32/64, uint8/16/32/64, float16/32/64 and fixed-width unicode (&lt;U n,
/// UTF-32) / byte (|S n) strings; little-endian or byte-order free only.
/// </summary>
public sealed class NpyArray
{
    private NpyArray(string descr, char kind, int itemSize, long[] shape, byte[] data)
    {
        Descr = descr;
        Kind = kind;
        ItemSize = itemSize;
        Shape = shape;
        Data = data;
    }

    /// <summary>numpy type string as in the header, e.g. "&lt;f4", "|u1", "&lt;U12".</summary>
    public string Descr { get; }

    /// <summary>numpy kind: 'b' bool, 'i' signed, 'u' unsigned, 'f' float, 'U' unicode, 'S' bytes.</summary>
    public char Kind { get; }

    /// <summary>Bytes per element.</summary>
    public int ItemSize { get; }

    public long[] Shape { get; }

    /// <summary>Raw element bytes, C order, little-endian.</summary>
    public byte[] Data { get; }

    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>numpy dtype name: "float32", "int64", "bool", "uint8", "str" (unicode), "bytes".</summary>
    public string DType => Kind switch
    {
        'b' => "bool",
        'i' => "int" + ItemSize * 8,
        'u' => "uint" + ItemSize * 8,
        'f' => "float" + ItemSize * 8,
        'c' => "complex" + ItemSize * 8,
        'U' => "str",
        'S' => "bytes",
        _ => Descr,
    };

    public override string ToString() => $"{DType}[{string.Join(", ", Shape)}]";

    /// <summary>Builds an array from a numpy descr ("&lt;f8", "|b1", "&lt;U5"), shape and raw bytes.</summary>
    public static NpyArray FromRaw(string descr, long[] shape, byte[] data, bool fortranOrder)
    {
        var (order, kind, itemSize, body) = ParseDescr(descr);
        bool bigEndian = order == '>' || (order == '=' && !BitConverter.IsLittleEndian);
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (count * itemSize > data.Length)
            throw new FormatException(
                $"array data too short: {descr} [{string.Join(", ", shape)}] needs {count * itemSize} bytes, has {data.Length}");
        byte[] bytes = data.Length == count * itemSize ? data : data.AsSpan(0, checked((int)(count * itemSize))).ToArray();
        if (bigEndian)
        {
            int unit = kind switch { 'U' => 4, 'c' => itemSize / 2, 'S' or 'b' => 1, _ => itemSize };
            if (unit > 1)
            {
                bytes = (byte[])bytes.Clone();
                for (int i = 0; i + unit <= bytes.Length; i += unit) Array.Reverse(bytes, i, unit);
            }
            order = '<';
        }
        if (fortranOrder && shape.Length > 1) bytes = FortranToC(bytes, shape, itemSize);
        string normal = (itemSize == 1 && kind != 'U' ? '|' : order == '=' ? '<' : order) + body;
        return new NpyArray(normal, kind, itemSize, (long[])shape.Clone(), bytes);
    }

    private static (char Order, char Kind, int ItemSize, string Body) ParseDescr(string descr)
    {
        if (descr.Length < 2) throw new FormatException($"unsupported numpy dtype '{descr}'");
        char order = descr[0];
        string body = descr;
        if (order is '<' or '>' or '|' or '=') body = descr[1..];
        else order = '=';
        char kind = body[0];
        if (!int.TryParse(body.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            throw new FormatException($"unsupported numpy dtype '{descr}'");
        int itemSize = kind switch
        {
            'b' or 'i' or 'u' or 'f' or 'c' or 'S' => n,
            'U' => checked(n * 4),
            _ => throw new FormatException($"unsupported numpy dtype '{descr}' (kind '{kind}')"),
        };
        if (kind is 'b' && n != 1 || kind is 'i' or 'u' && n is not (1 or 2 or 4 or 8)
            || kind is 'f' && n is not (2 or 4 or 8) || kind is 'c' && n is not (8 or 16))
            throw new FormatException($"unsupported numpy dtype '{descr}'");
        return (order, kind, itemSize, body);
    }

    private static byte[] FortranToC(byte[] src, long[] shape, int itemSize)
    {
        int nd = shape.Length;
        var fStride = new long[nd];
        long s = 1;
        for (int i = 0; i < nd; i++) { fStride[i] = s; s *= shape[i]; }
        var dst = new byte[src.Length];
        var idx = new long[nd];
        long count = s;
        for (long c = 0; c < count; c++)
        {
            long f = 0;
            for (int i = 0; i < nd; i++) f += idx[i] * fStride[i];
            Buffer.BlockCopy(src, checked((int)(f * itemSize)), dst, checked((int)(c * itemSize)), itemSize);
            for (int i = nd - 1; i >= 0; i--)
            {
                if (++idx[i] < shape[i]) break;
                idx[i] = 0;
            }
        }
        return dst;
    }

    // ---------------------------------------------------------------------------------------------- .npy files

    /// <summary>Reads a .npy file.</summary>
    public static NpyArray Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"npy file '{path}' does not exist.", path);
        using var fs = File.OpenRead(path);
        return Read(fs, path);
    }

    /// <summary>Reads .npy content (format versions 1.0, 2.0, 3.0); <paramref name="name"/> is used in messages.</summary>
    public static NpyArray Read(Stream stream, string name)
    {
        try
        {
            var prefix = ReadExactly(stream, 8, name);
            if (prefix[0] != 0x93 || Encoding.ASCII.GetString(prefix, 1, 5) != "NUMPY")
                throw new FormatException("not a .npy file (no \\x93NUMPY magic)");
            int major = prefix[6];
            int headerLen;
            if (major == 1)
                headerLen = BinaryPrimitives.ReadUInt16LittleEndian(ReadExactly(stream, 2, name));
            else if (major is 2 or 3)
                headerLen = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(ReadExactly(stream, 4, name)));
            else
                throw new FormatException($"unsupported .npy format version {major}.{prefix[7]}");
            byte[] headerBytes = ReadExactly(stream, headerLen, name);
            string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
            var dict = PyLiteral.ParseDict(header);
            string descr = dict.GetValueOrDefault("descr") as string
                ?? throw new FormatException("header has no string 'descr' (structured dtypes are not supported)");
            bool fortran = dict.GetValueOrDefault("fortran_order") is true;
            long[] shape = dict.GetValueOrDefault("shape") is List<object?> sh
                ? sh.Select(x => x is long l ? l : throw new FormatException("non-integer in shape")).ToArray()
                : throw new FormatException("header has no 'shape' tuple");
            // Validate the dtype before reading the data, so a bad dtype gives the clear message.
            int itemSize = ParseDescr(descr).ItemSize;
            long count = shape.Aggregate(1L, (a, b) => a * b);
            byte[] data = ReadExactly(stream, checked((int)(count * itemSize)), name);
            return FromRaw(descr, shape, data, fortran);
        }
        catch (CheckpointFormatException) { throw; }
        catch (Exception e) when (e is FormatException or EndOfStreamException or OverflowException or InvalidDataException)
        {
            throw new CheckpointFormatException(name, $"'{name}' is not a readable .npy array: {e.Message}", e);
        }
    }

    private static byte[] ReadExactly(Stream s, int count, string name)
    {
        var buffer = new byte[count];
        int n = 0, r;
        while (n < count && (r = s.Read(buffer, n, count - n)) > 0) n += r;
        if (n != count) throw new EndOfStreamException($"truncated: expected {count} more bytes, got {n}");
        return buffer;
    }

    // ---------------------------------------------------------------------------------------------- accessors

    private void Require(bool ok, string want)
    {
        if (!ok) throw new InvalidOperationException($"array is {DType} ({Descr}), not {want}");
    }

    /// <summary>float32 values (dtype float32, or float16 widened).</summary>
    public float[] ToFloatArray()
    {
        Require(Kind == 'f' && ItemSize is 4 or 2, "float32");
        var r = new float[Count];
        for (long i = 0; i < r.Length; i++)
            r[i] = ItemSize == 4
                ? BinaryPrimitives.ReadSingleLittleEndian(Data.AsSpan((int)(i * 4)))
                : (float)BinaryPrimitives.ReadHalfLittleEndian(Data.AsSpan((int)(i * 2)));
        return r;
    }

    /// <summary>float64 values; float16/32 and integer/bool dtypes are widened exactly (int64 beyond 2^53 rounds).</summary>
    public double[] ToDoubleArray()
    {
        Require(Kind is 'f' or 'i' or 'u' or 'b', "a real number type");
        var r = new double[Count];
        if (Kind == 'f')
        {
            for (long i = 0; i < r.Length; i++)
            {
                var span = Data.AsSpan((int)(i * ItemSize));
                r[i] = ItemSize switch
                {
                    8 => BinaryPrimitives.ReadDoubleLittleEndian(span),
                    4 => BinaryPrimitives.ReadSingleLittleEndian(span),
                    _ => (double)BinaryPrimitives.ReadHalfLittleEndian(span),
                };
            }
        }
        else
        {
            var l = ToLongArray();
            for (long i = 0; i < r.Length; i++) r[i] = l[i];
        }
        return r;
    }

    /// <summary>int64 values of any integer or bool dtype (uint64 above long.MaxValue throws).</summary>
    public long[] ToLongArray()
    {
        Require(Kind is 'i' or 'u' or 'b', "an integer type");
        var r = new long[Count];
        for (long i = 0; i < r.Length; i++)
        {
            var span = Data.AsSpan((int)(i * ItemSize));
            r[i] = (Kind, ItemSize) switch
            {
                ('b', _) => span[0] != 0 ? 1 : 0,
                ('i', 1) => (sbyte)span[0],
                ('i', 2) => BinaryPrimitives.ReadInt16LittleEndian(span),
                ('i', 4) => BinaryPrimitives.ReadInt32LittleEndian(span),
                ('i', 8) => BinaryPrimitives.ReadInt64LittleEndian(span),
                ('u', 1) => span[0],
                ('u', 2) => BinaryPrimitives.ReadUInt16LittleEndian(span),
                ('u', 4) => BinaryPrimitives.ReadUInt32LittleEndian(span),
                _ => checked((long)BinaryPrimitives.ReadUInt64LittleEndian(span)),
            };
        }
        return r;
    }

    /// <summary>int32 values (dtype int32, or a narrower integer / bool widened).</summary>
    public int[] ToIntArray()
    {
        Require(Kind is 'i' or 'b' && ItemSize <= 4 || Kind == 'u' && ItemSize <= 2, "int32");
        return ToLongArray().Select(v => (int)v).ToArray();
    }

    /// <summary>uint8 values (dtype uint8 or bool).</summary>
    public byte[] ToByteArray()
    {
        Require(Kind is 'u' or 'b' && ItemSize == 1, "uint8");
        return (byte[])Data.Clone();
    }

    public bool[] ToBoolArray()
    {
        Require(Kind == 'b', "bool");
        return Data.Select(b => b != 0).ToArray();
    }

    /// <summary>Strings of a unicode (&lt;U n, UTF-32) or bytes (|S n, Latin-1) array, trailing NULs removed.</summary>
    public string[] ToStringArray()
    {
        Require(Kind is 'U' or 'S', "a string type");
        var r = new string[Count];
        for (long i = 0; i < r.Length; i++)
        {
            var span = Data.AsSpan((int)(i * ItemSize), ItemSize);
            if (Kind == 'S')
            {
                int end = span.IndexOf((byte)0);
                r[i] = Encoding.Latin1.GetString(end < 0 ? span : span[..end]);
            }
            else
            {
                int chars = ItemSize / 4;
                while (chars > 0 && BinaryPrimitives.ReadInt32LittleEndian(span[((chars - 1) * 4)..]) == 0) chars--;
                r[i] = Encoding.UTF32.GetString(span[..(chars * 4)]);
            }
        }
        return r;
    }

    /// <summary>The single value of a 0-d (or 1-element) array as a C# scalar: double for floats, long for integers
    /// (ulong above long.MaxValue), bool, Complex, string.</summary>
    public object ScalarValue()
    {
        if (Count != 1) throw new InvalidOperationException($"array {this} is not a scalar");
        return Kind switch
        {
            'f' => ToDoubleArray()[0],
            'b' => Data[0] != 0,
            'u' when ItemSize == 8 && BinaryPrimitives.ReadUInt64LittleEndian(Data) > long.MaxValue =>
                BinaryPrimitives.ReadUInt64LittleEndian(Data),
            'i' or 'u' => ToLongArray()[0],
            'c' => ItemSize == 16
                ? new System.Numerics.Complex(BinaryPrimitives.ReadDoubleLittleEndian(Data), BinaryPrimitives.ReadDoubleLittleEndian(Data.AsSpan(8)))
                : new System.Numerics.Complex(BinaryPrimitives.ReadSingleLittleEndian(Data), BinaryPrimitives.ReadSingleLittleEndian(Data.AsSpan(4))),
            _ => ToStringArray()[0],
        };
    }

    /// <summary>The torch dtype this array converts to (uint16 -> int32, uint32 -> int64; uint64 unsupported).</summary>
    public ScalarType TorchDType => (Kind, ItemSize) switch
    {
        ('f', 4) => ScalarType.Float32,
        ('f', 8) => ScalarType.Float64,
        ('f', 2) => ScalarType.Float16,
        ('b', _) => ScalarType.Bool,
        ('u', 1) => ScalarType.Byte,
        ('i', 1) => ScalarType.Int8,
        ('i', 2) => ScalarType.Int16,
        ('i', 4) => ScalarType.Int32,
        ('u', 2) => ScalarType.Int32,
        ('i', 8) => ScalarType.Int64,
        ('u', 4) => ScalarType.Int64,
        ('c', 8) => ScalarType.ComplexFloat32,
        ('c', 16) => ScalarType.ComplexFloat64,
        _ => throw new InvalidOperationException($"array {this} ({Descr}) has no torch dtype"),
    };

    /// <summary>A new CPU tensor with this array's shape and values (bit-exact for native torch dtypes).</summary>
    public Tensor ToTensor()
    {
        var dtype = TorchDType;
        var t = torch.empty(Shape, dtype);
        if (Count == 0) return t;
        if (Kind == 'u' && ItemSize is 2 or 4)
        {
            // widen: torch has no uint16 / uint32 in TorchSharp
            var longs = ToLongArray();
            using var src = torch.tensor(longs, Shape);
            t.copy_(src);
            return t;
        }
        t.bytes = Data;
        return t;
    }
}

/// <summary>Minimal parser for the Python literal of a .npy header: dict, tuple, list, str, int, True/False/None.</summary>
internal static class PyLiteral
{
    public static Dictionary<string, object?> ParseDict(string text)
    {
        int pos = 0;
        var value = Parse(text, ref pos);
        SkipWs(text, ref pos);
        return value as Dictionary<string, object?> ?? throw new FormatException("header is not a dict literal");
    }

    private static void SkipWs(string s, ref int pos)
    {
        while (pos < s.Length && char.IsWhiteSpace(s[pos])) pos++;
    }

    private static object? Parse(string s, ref int pos)
    {
        SkipWs(s, ref pos);
        if (pos >= s.Length) throw new FormatException("unexpected end of header");
        char c = s[pos];
        if (c == '{')
        {
            pos++;
            var d = new Dictionary<string, object?>();
            while (true)
            {
                SkipWs(s, ref pos);
                if (pos < s.Length && s[pos] == '}') { pos++; return d; }
                var key = Parse(s, ref pos) as string ?? throw new FormatException("non-string key in header");
                SkipWs(s, ref pos);
                if (pos >= s.Length || s[pos] != ':') throw new FormatException("expected ':' in header");
                pos++;
                d[key] = Parse(s, ref pos);
                SkipWs(s, ref pos);
                if (pos < s.Length && s[pos] == ',') pos++;
            }
        }
        if (c is '(' or '[')
        {
            char close = c == '(' ? ')' : ']';
            pos++;
            var l = new List<object?>();
            while (true)
            {
                SkipWs(s, ref pos);
                if (pos < s.Length && s[pos] == close) { pos++; return l; }
                l.Add(Parse(s, ref pos));
                SkipWs(s, ref pos);
                if (pos < s.Length && s[pos] == ',') pos++;
                else if (pos >= s.Length || s[pos] != close) throw new FormatException("expected ',' or closing bracket");
            }
        }
        if (c is '\'' or '"')
        {
            int end = s.IndexOf(c, pos + 1);
            if (end < 0) throw new FormatException("unterminated string in header");
            string str = s.Substring(pos + 1, end - pos - 1);
            pos = end + 1;
            return str;
        }
        int start = pos;
        while (pos < s.Length && (char.IsLetterOrDigit(s[pos]) || s[pos] is '-' or '+' or '_')) pos++;
        string tok = s[start..pos];
        if (tok.EndsWith('L')) tok = tok[..^1]; // Python 2 longs
        return tok switch
        {
            "True" => true,
            "False" => false,
            "None" => null,
            _ when long.TryParse(tok, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) => v,
            _ => throw new FormatException($"unexpected token '{tok}' in header"),
        };
    }
}

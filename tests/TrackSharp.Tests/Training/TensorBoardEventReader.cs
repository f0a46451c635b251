using System.Buffers.Binary;
using System.Text;
using TrackSharp.Training.Monitoring;

namespace TrackSharp.Tests.Training;

/// <summary>One decoded TensorBoard event (only the fields the writer uses).</summary>
internal sealed record ReadEvent(double WallTime, long Step, string? FileVersion, IReadOnlyList<(string Tag, float Value)> Scalars);

/// <summary>
/// Independent reader for event files, for tests: TFRecord framing with both CRCs checked, then a minimal
/// protobuf decoder for Event / Summary / Summary.Value (unknown fields are skipped by wire type).
/// </summary>
internal static class TensorBoardEventReader
{
    public static List<ReadEvent> ReadFile(string path) => Read(File.ReadAllBytes(path));

    public static List<ReadEvent> Read(byte[] bytes)
    {
        var events = new List<ReadEvent>();
        int pos = 0;
        while (pos < bytes.Length)
        {
            if (bytes.Length - pos < 12) throw new InvalidDataException($"truncated record header at byte {pos}");
            var span = bytes.AsSpan(pos);
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(span);
            uint lengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
            if (lengthCrc != Crc32C.Masked(span[..8])) throw new InvalidDataException($"length CRC mismatch at byte {pos}");
            if ((ulong)(bytes.Length - pos - 16) < length) throw new InvalidDataException($"truncated record at byte {pos}");
            var data = span.Slice(12, (int)length);
            uint dataCrc = BinaryPrimitives.ReadUInt32LittleEndian(span[(12 + (int)length)..]);
            if (dataCrc != Crc32C.Masked(data)) throw new InvalidDataException($"data CRC mismatch at byte {pos}");
            events.Add(DecodeEvent(data.ToArray()));
            pos += 16 + (int)length;
        }
        return events;
    }

    private static ReadEvent DecodeEvent(byte[] data)
    {
        double wall = 0;
        long step = 0;
        string? version = null;
        var scalars = new List<(string, float)>();
        foreach (var (field, wire, value, bytes) in Fields(data))
        {
            if (field == 1 && wire == 1) wall = BitConverter.Int64BitsToDouble((long)value);
            else if (field == 2 && wire == 0) step = (long)value;
            else if (field == 3 && wire == 2) version = Encoding.UTF8.GetString(bytes!);
            else if (field == 5 && wire == 2)
                foreach (var (f, w, _, valueBytes) in Fields(bytes!))
                    if (f == 1 && w == 2) scalars.Add(DecodeValue(valueBytes!));
        }
        return new ReadEvent(wall, step, version, scalars);
    }

    private static (string, float) DecodeValue(byte[] data)
    {
        string tag = "";
        float v = float.NaN;
        foreach (var (field, wire, value, bytes) in Fields(data))
        {
            if (field == 1 && wire == 2) tag = Encoding.UTF8.GetString(bytes!);
            else if (field == 2 && wire == 5) v = BitConverter.Int32BitsToSingle((int)value);
        }
        return (tag, v);
    }

    /// <summary>(field number, wire type, numeric value, bytes for length-delimited fields).</summary>
    private static IEnumerable<(int, int, ulong, byte[]?)> Fields(byte[] data)
    {
        int pos = 0;
        while (pos < data.Length)
        {
            ulong key = Varint(data, ref pos);
            int field = (int)(key >> 3), wire = (int)(key & 7);
            switch (wire)
            {
                case 0: yield return (field, wire, Varint(data, ref pos), null); break;
                case 1: yield return (field, wire, BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(pos)), null); pos += 8; break;
                case 5: yield return (field, wire, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(pos)), null); pos += 4; break;
                case 2:
                    int len = (int)Varint(data, ref pos);
                    yield return (field, wire, 0, data.AsSpan(pos, len).ToArray());
                    pos += len;
                    break;
                default: throw new InvalidDataException($"unsupported wire type {wire}");
            }
        }
    }

    private static ulong Varint(byte[] data, ref int pos)
    {
        ulong result = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = data[pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
    }
}

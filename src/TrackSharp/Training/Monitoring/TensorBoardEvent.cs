using System.Buffers.Binary;
using System.Text;

namespace TrackSharp.Training.Monitoring;

/// <summary>
/// Protocol-buffer encoding of the two TensorBoard <c>Event</c> messages a scalar log needs (tensorflow
/// <c>event.proto</c> / <c>summary.proto</c>): <c>Event { double wall_time = 1; int64 step = 2;
/// oneof { string file_version = 3; Summary summary = 5; } }</c>, <c>Summary { repeated Value value = 1; }</c>,
/// <c>Value { string tag = 1; float simple_value = 2; }</c>. Proto3 rules: a zero step is not written.
/// Hand-written (a few bytes per field) so the library needs no protobuf package.
/// </summary>
public static class TensorBoardEvent
{
    /// <summary>The <c>file_version</c> TensorBoard expects in the first event of a file.</summary>
    public const string FileVersion = "brain.Event:2";

    /// <summary>The first event of every event file: wall time and <c>file_version = "brain.Event:2"</c>.</summary>
    public static byte[] FileVersionEvent(double wallTime)
    {
        var w = new MemoryStream();
        WriteDouble(w, 1, wallTime);
        WriteBytes(w, 3, Encoding.UTF8.GetBytes(FileVersion));
        return w.ToArray();
    }

    /// <summary>An event holding one scalar summary value.</summary>
    public static byte[] ScalarEvent(double wallTime, long step, string tag, float value)
    {
        var valueMessage = new MemoryStream();
        WriteBytes(valueMessage, 1, Encoding.UTF8.GetBytes(tag));
        WriteTag(valueMessage, 2, WireFixed32);
        Span<byte> f = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(f, value);
        valueMessage.Write(f);

        var summary = new MemoryStream();
        WriteBytes(summary, 1, valueMessage.ToArray());

        var w = new MemoryStream();
        WriteDouble(w, 1, wallTime);
        if (step != 0)
        {
            WriteTag(w, 2, WireVarint);
            WriteVarint(w, unchecked((ulong)step));
        }
        WriteBytes(w, 5, summary.ToArray());
        return w.ToArray();
    }

    private const int WireVarint = 0, WireFixed64 = 1, WireLength = 2, WireFixed32 = 5;

    private static void WriteTag(Stream s, int field, int wireType) => WriteVarint(s, (ulong)((field << 3) | wireType));

    private static void WriteDouble(Stream s, int field, double value)
    {
        WriteTag(s, field, WireFixed64);
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(b, value);
        s.Write(b);
    }

    private static void WriteBytes(Stream s, int field, byte[] bytes)
    {
        WriteTag(s, field, WireLength);
        WriteVarint(s, (ulong)bytes.Length);
        s.Write(bytes);
    }

    private static void WriteVarint(Stream s, ulong value)
    {
        while (value >= 0x80)
        {
            s.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        s.WriteByte((byte)value);
    }
}

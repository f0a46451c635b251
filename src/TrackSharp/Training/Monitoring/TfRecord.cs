using System.Buffers.Binary;

namespace TrackSharp.Training.Monitoring;

/// <summary>
/// TFRecord framing, the container of TensorBoard event files: each record is
/// <c>uint64 length | uint32 masked CRC-32C of those 8 bytes | data | uint32 masked CRC-32C of data</c>,
/// all little-endian. TensorBoard stops reading a file at the first record whose CRCs do not match.
/// </summary>
public static class TfRecord
{
    /// <summary>Bytes a record adds around its data.</summary>
    public const int Overhead = 8 + 4 + 4;

    /// <summary>The framed record for <paramref name="data"/>.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> data)
    {
        var record = new byte[data.Length + Overhead];
        var span = record.AsSpan();
        BinaryPrimitives.WriteUInt64LittleEndian(span, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], Crc32C.Masked(span[..8]));
        data.CopyTo(span[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(12 + data.Length)..], Crc32C.Masked(data));
        return record;
    }
}

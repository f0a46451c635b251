namespace TrackSharp.Training.Monitoring;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum TFRecord framing uses; and the
/// "masked" form TFRecord stores, so that a CRC of data that itself holds CRCs does not collide with them.
/// Written here because the BCL has only CRC-32 (IEEE) and the repository adds no package for this.
/// </summary>
public static class Crc32C
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>The CRC-32C of <paramref name="data"/> (initial value and final xor 0xFFFFFFFF).</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }

    /// <summary>TFRecord's mask: rotate right by 15 bits, then add 0xa282ead8 (mod 2^32).</summary>
    public static uint Mask(uint crc) => unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8u);

    /// <summary>The masked CRC-32C of <paramref name="data"/>, as stored in a TFRecord.</summary>
    public static uint Masked(ReadOnlySpan<byte> data) => Mask(Compute(data));

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0x82F63B78u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }
}

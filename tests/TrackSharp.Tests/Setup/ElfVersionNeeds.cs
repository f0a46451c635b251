using System.Text;

namespace TrackSharp.Tests.Setup;

/// <summary>
/// Reads an ELF64 little-endian shared library's symbol-version requirements (Verneed/Vernaux) the way the
/// dynamic loader finds them: PT_DYNAMIC -> DT_VERNEED, DT_VERNEEDNUM, DT_STRTAB, with addresses mapped to file
/// offsets through the PT_LOAD segments. Written for the tests, independently of build/MarkGlibcxxVersionWeak.cs
/// (which walks the section headers), so the two cross-check each other.
/// </summary>
internal static class ElfVersionNeeds
{
    public const ushort VerFlagWeak = 0x2;

    /// <param name="Library">The needed library (vn_file), e.g. "libstdc++.so.6".</param>
    /// <param name="Version">The version name (vna_name), e.g. "GLIBCXX_3.4.32".</param>
    /// <param name="Flags">vna_flags.</param>
    /// <param name="FlagsOffset">File offset of vna_flags.</param>
    public sealed record Requirement(string Library, string Version, ushort Flags, long FlagsOffset)
    {
        public bool IsWeak => (Flags & VerFlagWeak) != 0;
    }

    public static List<Requirement> Read(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1) throw new InvalidDataException("not a little-endian ELF64 file");

        long phoff = (long)U64(elf, 0x20);
        int phentsize = U16(elf, 0x36), phnum = U16(elf, 0x38);
        var loads = new List<(ulong Vaddr, ulong Filesz, ulong Offset)>();
        (long Offset, long Size)? dynamic = null;
        for (int i = 0; i < phnum; i++)
        {
            long ph = phoff + (long)i * phentsize;
            uint type = U32(elf, ph);
            if (type == 1) loads.Add((U64(elf, ph + 16), U64(elf, ph + 32), U64(elf, ph + 8)));
            else if (type == 2) dynamic = ((long)U64(elf, ph + 8), (long)U64(elf, ph + 32));
        }
        if (dynamic is null) return [];

        ulong verneed = 0, verneedNum = 0, strtab = 0;
        for (long d = dynamic.Value.Offset; d + 16 <= dynamic.Value.Offset + dynamic.Value.Size; d += 16)
        {
            long tag = (long)U64(elf, d);
            ulong value = U64(elf, d + 8);
            if (tag == 0) break;
            if (tag == 5) strtab = value;
            else if (tag == 0x6ffffffe) verneed = value;
            else if (tag == 0x6fffffff) verneedNum = value;
        }
        if (verneed == 0 || strtab == 0) return [];

        long ToOffset(ulong address)
        {
            foreach (var (vaddr, filesz, offset) in loads)
                if (address >= vaddr && address < vaddr + filesz) return (long)(address - vaddr + offset);
            throw new InvalidDataException($"address 0x{address:x} is in no PT_LOAD segment");
        }

        long strings = ToOffset(strtab);
        var result = new List<Requirement>();
        long vn = ToOffset(verneed);
        for (ulong n = 0; n < verneedNum; n++)
        {
            int count = U16(elf, vn + 2);
            string library = CString(elf, strings + U32(elf, vn + 4));
            long aux = vn + U32(elf, vn + 8);
            for (int a = 0; a < count; a++)
            {
                result.Add(new Requirement(library, CString(elf, strings + U32(elf, aux + 8)), U16(elf, aux + 4),
                    aux + 4));
                aux += U32(elf, aux + 12);
            }
            uint next = U32(elf, vn + 12);
            if (next == 0) break;
            vn += next;
        }
        return result;
    }

    /// <summary>True when a library file defines (or mentions) the version string, e.g. the system libstdc++.</summary>
    public static bool FileMentions(string path, string version)
    {
        byte[] bytes = File.ReadAllBytes(path);
        byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
        return bytes.AsSpan().IndexOf(needle) >= 0;
    }

    private static ushort U16(byte[] b, long at) => BitConverter.ToUInt16(b, checked((int)at));
    private static uint U32(byte[] b, long at) => BitConverter.ToUInt32(b, checked((int)at));
    private static ulong U64(byte[] b, long at) => BitConverter.ToUInt64(b, checked((int)at));

    private static string CString(byte[] b, long at)
    {
        int start = checked((int)at), end = start;
        while (end < b.Length && b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, start, end - start);
    }
}

using System.Buffers.Binary;
using System.Text;

namespace TrackSharp.Checkpoints;

/// <summary>
/// Walks a pickle opcode stream and rewrites the few opcodes whose meaning Razorvine.Pickle would take from its
/// process-wide constructor registry, so that a load never depends on (or changes) that global state:
/// <list type="bullet">
/// <item><c>GLOBAL module\nname\n</c> (and <c>STACK_GLOBAL</c> when its two strings can be traced) becomes
/// <c>BINUNICODE marker, BINUNICODE module, BINUNICODE name, TUPLE3, BINPERSID</c>: the per-load unpickler's
/// <c>persistentLoad</c> then resolves the class itself (torch rebuild functions, OrderedDict, numpy, a placeholder
/// for anything else).</item>
/// <item><c>EMPTY_DICT</c> becomes <c>BINUNICODE dict-marker, TUPLE1, BINPERSID</c>, which yields an
/// insertion-ordered dictionary (Python dicts keep insertion order; Razorvine's Hashtable does not).</item>
/// <item><c>SETITEMS</c> becomes <c>TUPLE, BINUNICODE setitems-marker, TUPLE2, BUILD</c>: the dict's
/// <c>__setstate__</c> then inserts the pairs in pickle order (Razorvine's SETITEMS inserts them in reverse).</item>
/// <item><c>FRAME</c> is dropped (its length would no longer be right; Razorvine ignores it anyway).</item>
/// </list>
/// Every other opcode is copied byte for byte. Memo indices are unaffected because no memo opcode is added.
/// </summary>
internal static class PickleRewriter
{
    internal const string GlobalMarker = "\u0001tracksharp.global";
    internal const string DictMarker = "\u0001tracksharp.dict";
    internal const string SetItemsMarker = "\u0001tracksharp.setitems";

    private enum Arg { None, Line, TwoLines, U1, U2, U4, U8, Len1, Len4, Len8 }

    private static readonly Arg?[] ArgKinds = BuildArgKinds();

    private static Arg?[] BuildArgKinds()
    {
        var a = new Arg?[256];
        void Set(char op, Arg kind) => a[op] = kind;
        void SetB(byte op, Arg kind) => a[op] = kind;
        foreach (char c in "(.012NQRabd}el]ost)us") Set(c, Arg.None);
        Set('F', Arg.Line); Set('I', Arg.Line); Set('L', Arg.Line); Set('P', Arg.Line); Set('S', Arg.Line);
        Set('V', Arg.Line); Set('g', Arg.Line); Set('p', Arg.Line);
        Set('c', Arg.TwoLines); Set('i', Arg.TwoLines);
        Set('J', Arg.U4); Set('K', Arg.U1); Set('M', Arg.U2); Set('h', Arg.U1); Set('j', Arg.U4); Set('q', Arg.U1);
        Set('r', Arg.U4); Set('G', Arg.U8);
        Set('T', Arg.Len4); Set('U', Arg.Len1); Set('X', Arg.Len4); Set('B', Arg.Len4); Set('C', Arg.Len1);
        SetB(0x80, Arg.U1); // PROTO
        SetB(0x81, Arg.None); // NEWOBJ
        SetB(0x82, Arg.U1); SetB(0x83, Arg.U2); SetB(0x84, Arg.U4); // EXT1/2/4
        SetB(0x85, Arg.None); SetB(0x86, Arg.None); SetB(0x87, Arg.None); // TUPLE1..3
        SetB(0x88, Arg.None); SetB(0x89, Arg.None); // NEWTRUE, NEWFALSE
        SetB(0x8a, Arg.Len1); SetB(0x8b, Arg.Len4); // LONG1, LONG4
        SetB(0x8c, Arg.Len1); SetB(0x8d, Arg.Len8); SetB(0x8e, Arg.Len8); // SHORT_BINUNICODE, BINUNICODE8, BINBYTES8
        SetB(0x8f, Arg.None); SetB(0x90, Arg.None); SetB(0x91, Arg.None); // EMPTY_SET, ADDITEMS, FROZENSET
        SetB(0x92, Arg.None); SetB(0x93, Arg.None); SetB(0x94, Arg.None); // NEWOBJ_EX, STACK_GLOBAL, MEMOIZE
        SetB(0x95, Arg.U8); // FRAME
        SetB(0x96, Arg.Len8); SetB(0x97, Arg.None); SetB(0x98, Arg.None); // BYTEARRAY8, NEXT_BUFFER, READONLY_BUFFER
        return a;
    }

    /// <summary>Rewrites <paramref name="pickle"/>; throws <see cref="FormatException"/> on a malformed stream.</summary>
    public static byte[] Rewrite(ReadOnlySpan<byte> pickle)
    {
        var output = new MemoryStream(pickle.Length + pickle.Length / 4 + 64);
        // A tiny trace of recently pushed values (string or not) and of memoised strings, enough to recover the two
        // strings STACK_GLOBAL consumes (protocol 4+ pushes them right before it, possibly via the memo).
        var recent = new List<string?>();
        var memo = new Dictionary<long, string?>();
        long memoCount = 0;
        int pos = 0;
        bool stopped = false;
        while (pos < pickle.Length)
        {
            int start = pos;
            byte op = pickle[pos++];
            Arg kind = ArgKinds[op] ?? throw new FormatException($"unknown pickle opcode 0x{op:x2} at byte {start}");
            int argStart = pos;
            pos = SkipArg(pickle, pos, kind, op, start);
            ReadOnlySpan<byte> whole = pickle[start..pos];
            ReadOnlySpan<byte> arg = pickle[argStart..pos];

            switch (op)
            {
                case (byte)'c': // GLOBAL
                {
                    int nl = arg.IndexOf((byte)'\n');
                    string module = Encoding.UTF8.GetString(arg[..nl]);
                    string name = Encoding.UTF8.GetString(arg[(nl + 1)..^1]);
                    WriteGlobal(output, module, name);
                    Push(recent, null);
                    break;
                }
                case 0x93: // STACK_GLOBAL
                    if (recent.Count >= 2 && recent[^2] is string m && recent[^1] is string n)
                    {
                        output.WriteByte((byte)'0'); // POP name
                        output.WriteByte((byte)'0'); // POP module
                        WriteGlobal(output, m, n);
                    }
                    else
                    {
                        output.Write(whole);
                    }
                    Push(recent, null);
                    break;
                case (byte)'}': // EMPTY_DICT
                    WriteUnicode(output, DictMarker);
                    output.WriteByte(0x85); // TUPLE1
                    output.WriteByte((byte)'Q'); // BINPERSID
                    Push(recent, null);
                    break;
                case (byte)'u': // SETITEMS
                    output.WriteByte((byte)'t'); // TUPLE of k1, v1, ..., kn, vn (in order)
                    WriteUnicode(output, SetItemsMarker);
                    output.WriteByte(0x86); // TUPLE2
                    output.WriteByte((byte)'b'); // BUILD -> target.__setstate__((items, marker))
                    Push(recent, null);
                    break;
                case 0x95: // FRAME: dropped
                    break;
                case (byte)'X': case (byte)'U': case 0x8c: case 0x8d: case (byte)'T':
                {
                    int lenBytes = kind switch { Arg.Len1 => 1, Arg.Len4 => 4, _ => 8 };
                    string s = op is (byte)'X' or 0x8c or 0x8d
                        ? Encoding.UTF8.GetString(arg[lenBytes..])
                        : Encoding.Latin1.GetString(arg[lenBytes..]);
                    output.Write(whole);
                    Push(recent, s);
                    break;
                }
                case 0x94: // MEMOIZE
                    memo[memoCount++] = recent.Count > 0 ? recent[^1] : null;
                    output.Write(whole);
                    break;
                case (byte)'q': case (byte)'r': case (byte)'p': // BINPUT, LONG_BINPUT, PUT
                {
                    long idx = op == (byte)'q' ? arg[0]
                        : op == (byte)'r' ? BinaryPrimitives.ReadInt32LittleEndian(arg)
                        : long.Parse(Encoding.ASCII.GetString(arg[..^1]));
                    memo[idx] = recent.Count > 0 ? recent[^1] : null;
                    memoCount = Math.Max(memoCount, idx + 1);
                    output.Write(whole);
                    break;
                }
                case (byte)'h': case (byte)'j': case (byte)'g': // BINGET, LONG_BINGET, GET
                {
                    long idx = op == (byte)'h' ? arg[0]
                        : op == (byte)'j' ? BinaryPrimitives.ReadInt32LittleEndian(arg)
                        : long.Parse(Encoding.ASCII.GetString(arg[..^1]));
                    Push(recent, memo.GetValueOrDefault(idx));
                    output.Write(whole);
                    break;
                }
                default:
                    output.Write(whole);
                    Push(recent, null);
                    break;
            }

            if (op == (byte)'.')
            {
                stopped = true;
                break;
            }
        }
        if (!stopped)
            throw new FormatException("pickle stream ends without a STOP opcode (truncated)");
        return output.ToArray();
    }

    private static void Push(List<string?> recent, string? value)
    {
        if (recent.Count >= 8) recent.RemoveAt(0);
        recent.Add(value);
    }

    private static int SkipArg(ReadOnlySpan<byte> p, int pos, Arg kind, byte op, int start)
    {
        long need;
        switch (kind)
        {
            case Arg.None: return pos;
            case Arg.Line: return SkipLine(p, pos, op, start);
            case Arg.TwoLines: return SkipLine(p, SkipLine(p, pos, op, start), op, start);
            case Arg.U1: need = 1; break;
            case Arg.U2: need = 2; break;
            case Arg.U4: need = 4; break;
            case Arg.U8: need = 8; break;
            case Arg.Len1:
                Require(p, pos, 1, op, start);
                need = 1 + p[pos];
                break;
            case Arg.Len4:
                Require(p, pos, 4, op, start);
                need = 4 + (long)BinaryPrimitives.ReadUInt32LittleEndian(p[pos..]);
                break;
            case Arg.Len8:
                Require(p, pos, 8, op, start);
                ulong l = BinaryPrimitives.ReadUInt64LittleEndian(p[pos..]);
                need = l > int.MaxValue ? long.MaxValue : 8 + (long)l;
                break;
            default: throw new InvalidOperationException();
        }
        Require(p, pos, need, op, start);
        return pos + (int)need;
    }

    private static void Require(ReadOnlySpan<byte> p, int pos, long count, byte op, int start)
    {
        if (count > p.Length - pos)
            throw new FormatException($"pickle opcode 0x{op:x2} at byte {start} runs past the end of the stream (truncated)");
    }

    private static int SkipLine(ReadOnlySpan<byte> p, int pos, byte op, int start)
    {
        int nl = p[pos..].IndexOf((byte)'\n');
        if (nl < 0)
            throw new FormatException($"pickle opcode 0x{op:x2} at byte {start} has an unterminated line argument (truncated)");
        return pos + nl + 1;
    }

    private static void WriteGlobal(MemoryStream output, string module, string name)
    {
        WriteUnicode(output, GlobalMarker);
        WriteUnicode(output, module);
        WriteUnicode(output, name);
        output.WriteByte(0x87); // TUPLE3
        output.WriteByte((byte)'Q'); // BINPERSID
    }

    private static void WriteUnicode(MemoryStream output, string s)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(s);
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(len, bytes.Length);
        output.WriteByte((byte)'X');
        output.Write(len);
        output.Write(bytes);
    }
}

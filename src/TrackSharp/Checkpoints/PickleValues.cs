using System.Collections;
using System.Globalization;
using System.Text;

namespace TrackSharp.Checkpoints;

/// <summary>A Python global (class or function) named in a pickle that the reader does not interpret.</summary>
public sealed class PickleGlobal
{
    public PickleGlobal(string module, string name)
    {
        Module = module;
        Name = name;
    }

    public string Module { get; }
    public string Name { get; }
    public string FullName => Module + "." + Name;
    public override string ToString() => FullName;
}

/// <summary>
/// Placeholder for an object of a Python class the reader does not know (a custom config class, a settings object,
/// a numpy dtype, ...): the class name, the constructor arguments, the state given to <c>__setstate__</c> and, for
/// dict subclasses, the items. Building one never fails.
/// </summary>
public sealed class PickleObject
{
    internal PickleObject(PickleGlobal type, IReadOnlyList<object?> args, object? state,
        OrderedDictionary<string, object?> items)
    {
        Type = type;
        Args = args;
        State = state;
        Items = items;
    }

    public PickleGlobal Type { get; }
    public IReadOnlyList<object?> Args { get; }
    public object? State { get; internal set; }
    /// <summary>Items set by SETITEM(S) (the object was pickled as a dict subclass); empty otherwise.</summary>
    public OrderedDictionary<string, object?> Items { get; }
    public override string ToString() => $"<{Type.FullName} object>";
}

/// <summary>Hashtable that remembers insertion order (Razorvine's SETITEM(S) require a Hashtable).</summary>
internal class OrderedHashtable : Hashtable
{
    private readonly List<object> _order = new();

    public IEnumerable<object> OrderedKeys => _order;
    public object? SetState { get; protected set; }

    public override object? this[object key]
    {
        get => base[key];
        set
        {
            if (!ContainsKey(key)) _order.Add(key);
            base[key] = value;
        }
    }

    public override void Add(object key, object? value)
    {
        base.Add(key, value);
        _order.Add(key);
    }

    public override void Remove(object key)
    {
        if (ContainsKey(key)) _order.Remove(key);
        base.Remove(key);
    }

    public override void Clear()
    {
        base.Clear();
        _order.Clear();
    }

    // BUILD is used for two things: the rewritten SETITEMS (items in pickle order, see PickleRewriter), and the
    // instance __dict__ of an OrderedDict (state_dict()._metadata) or of an unknown object: kept as SetState.
    public void __setstate__(object state)
    {
        if (state is object?[] { Length: 2 } t && t[1] is string m && m == PickleRewriter.SetItemsMarker && t[0] is object?[] items)
        {
            for (int i = 0; i + 1 < items.Length; i += 2) this[items[i]!] = items[i + 1];
            return;
        }
        SetState = state;
    }
}

/// <summary>Unknown Python class instance while unpickling (a Hashtable so that dict subclasses unpickle too).</summary>
internal sealed class RawObject : OrderedHashtable
{
    public RawObject(PickleGlobal type, object?[] args)
    {
        Type = type;
        Args = args;
    }

    public PickleGlobal Type { get; }
    public object?[] Args { get; }
    public object? State => SetState;
}

/// <summary>numpy.dtype while unpickling.</summary>
internal sealed class RawNumpyDType
{
    public RawNumpyDType(string descr) => Descr = descr;

    /// <summary>As pickled, e.g. "f8", "i4", "b1", "U8", "O8".</summary>
    public string Descr { get; }
    /// <summary>'&lt;', '&gt;', '|' or '='; from the BUILD state.</summary>
    public char ByteOrder { get; private set; } = '=';
    public object? State { get; private set; }

    public void __setstate__(object state)
    {
        State = state;
        if (state is object?[] t && t.Length > 1 && t[1] is string bo && bo.Length == 1)
            ByteOrder = bo[0];
    }

    /// <summary>Descr with an explicit byte order, numpy style ("&lt;f8", "|u1").</summary>
    public string FullDescr
    {
        get
        {
            char bo = ByteOrder == '=' ? (BitConverter.IsLittleEndian ? '<' : '>') : ByteOrder;
            if (Descr.Length > 1 && Descr[1..] == "1" && "biu".Contains(Descr[0])) bo = '|';
            return bo + Descr;
        }
    }
}

/// <summary>numpy.ndarray while unpickling (numpy.core.multiarray._reconstruct + BUILD).</summary>
internal sealed class RawNumpyArray
{
    public object? State { get; private set; }
    public void __setstate__(object state) => State = state;
}

/// <summary>Conversions shared by the pickle constructors and the tree conversion.</summary>
internal static class PickleConvert
{
    public static long ToLong(object? o, string what) => o switch
    {
        int i => i,
        long l => l,
        short s => s,
        byte b => b,
        bool b => b ? 1 : 0,
        System.Numerics.BigInteger bi when bi >= long.MinValue && bi <= long.MaxValue => (long)bi,
        _ => throw new FormatException($"{what}: expected an integer, got {Describe(o)}"),
    };

    public static long[] ToLongArray(object? o, string what) => o switch
    {
        object?[] t => t.Select(x => ToLong(x, what)).ToArray(),
        ArrayList l => l.Cast<object?>().Select(x => ToLong(x, what)).ToArray(),
        _ => throw new FormatException($"{what}: expected a tuple of integers, got {Describe(o)}"),
    };

    public static string Describe(object? o) => o is null ? "None" : o.GetType().Name;

    /// <summary>Python-like text for a dict key that is not a string.</summary>
    public static string KeyToString(object? key) => key switch
    {
        null => "None",
        string s => s,
        bool b => b ? "True" : "False",
        int or long or short or byte or System.Numerics.BigInteger => Convert.ToString(key, CultureInfo.InvariantCulture)!,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        object?[] t => "(" + string.Join(", ", t.Select(KeyToString)) + (t.Length == 1 ? ",)" : ")"),
        PickleGlobal g => g.FullName,
        _ => key.ToString() ?? "",
    };

    /// <summary>Bytes of a protocol-2 "bytes" value: <c>_codecs.encode(str, 'latin1')</c> result or a byte[].</summary>
    public static byte[]? AsBytes(object? o) => o switch
    {
        byte[] b => b,
        string s => Encoding.Latin1.GetBytes(s),
        _ => null,
    };
}

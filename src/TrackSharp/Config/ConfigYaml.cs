using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TrackSharp.Config;

/// <summary>
/// YAML text to <see cref="ConfigNode"/> trees and back.
/// <para>Scalars are resolved like PyYAML's <c>safe_load</c> (the reference repos read their configs with it):
/// quoted scalars are strings; plain <c>null ~</c> and an empty value are null; <c>true false yes no on off</c>
/// (any capitalisation PyYAML accepts) are bools; decimal, <c>0x</c>, <c>0o</c> and <c>0b</c> integers (with
/// <c>_</c> separators) are ints; decimals with a point or an exponent and <c>.inf .nan</c> are floats; everything
/// else is a string. One deliberate difference: PyYAML reads <c>1e-4</c> (no point) as a string, here it is the
/// float 0.0001. Explicit tags <c>!!str !!int !!float !!bool !!null</c> are honoured; <c>!open</c> on a mapping
/// marks it open for new keys (used by family defaults).</para>
/// </summary>
public static partial class ConfigYaml
{
    /// <summary>Parses YAML text into a tree; an empty document gives an empty mapping.</summary>
    /// <param name="text">the YAML text</param>
    /// <param name="origin">the file name (as the user gave it), the family name or the override text</param>
    /// <param name="kind">what <paramref name="origin"/> is, for error messages and <see cref="ConfigNode.Source"/></param>
    public static ConfigNode Parse(string text, string origin, ConfigSourceKind kind = ConfigSourceKind.File)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ConfigException(new ConfigError(
                new ConfigSource(kind, origin, (int)e.Start.Line, (int)e.Start.Column), "",
                "invalid YAML: " + StripMark(e.Message)));
        }
        catch (ArgumentException e)
        {
            throw new ConfigException(new ConfigError(new ConfigSource(kind, origin), "", "invalid YAML: " + e.Message));
        }
        if (stream.Documents.Count == 0)
            return ConfigNode.Map([], new ConfigSource(kind, origin, 1, 1));
        if (stream.Documents.Count > 1)
            throw new ConfigException(new ConfigError(new ConfigSource(kind, origin), "", "more than one YAML document"));
        var errors = new List<ConfigError>();
        var node = Convert(stream.Documents[0].RootNode, origin, kind, "", errors);
        if (errors.Count > 0)
            throw new ConfigException(errors);
        return node;
    }

    /// <summary>Reads and parses a YAML file; errors name <paramref name="path"/> as given.</summary>
    public static ConfigNode ParseFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(new ConfigError(new ConfigSource(ConfigSourceKind.File, path), "", "cannot read: " + e.Message));
        }
        return Parse(text, path, ConfigSourceKind.File);
    }

    private static string StripMark(string message) => MarkPrefix().Replace(message, "");

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarkPrefix();

    private static ConfigNode Convert(YamlNode node, string origin, ConfigSourceKind kind, string path, List<ConfigError> errors)
    {
        var source = new ConfigSource(kind, origin, (int)node.Start.Line, (int)node.Start.Column);
        string tag = node.Tag.IsEmpty ? "" : node.Tag.Value;
        switch (node)
        {
            case YamlMappingNode map:
                var entries = new List<KeyValuePair<string, ConfigNode>>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (k, v) in map.Children)
                {
                    if (k is not YamlScalarNode ks || ks.Value == null)
                    {
                        errors.Add(new ConfigError(new ConfigSource(kind, origin, (int)k.Start.Line, (int)k.Start.Column), path,
                            "keys must be plain scalars"));
                        continue;
                    }
                    string key = ks.Value;
                    string childPath = path.Length == 0 ? key : path + "." + key;
                    if (!seen.Add(key))
                    {
                        errors.Add(new ConfigError(new ConfigSource(kind, origin, (int)k.Start.Line, (int)k.Start.Column), childPath,
                            "duplicate key"));
                        continue;
                    }
                    var child = Convert(v, origin, kind, childPath, errors);
                    // the key's line is the one a reader looks for
                    if (child.IsMap || child.IsList)
                        child = child.WithSource(child.Source with { Line = (int)k.Start.Line, Column = (int)k.Start.Column });
                    entries.Add(new(key, child));
                }
                return ConfigNode.Map(entries, source, open: tag == "!open" || map.Children.Count == 0);
            case YamlSequenceNode seq:
                return ConfigNode.List(seq.Children.Select((c, i) => Convert(c, origin, kind, $"{path}[{i}]", errors)), source);
            case YamlScalarNode scalar:
                try
                {
                    return ResolveScalar(scalar.Value ?? "", scalar.Style is ScalarStyle.Plain or ScalarStyle.Any, tag, source);
                }
                catch (FormatException e)
                {
                    errors.Add(new ConfigError(source, path, e.Message));
                    return ConfigNode.Null(source);
                }
            default:
                errors.Add(new ConfigError(source, path, $"unsupported YAML node {node.NodeType}"));
                return ConfigNode.Null(source);
        }
    }

    /// <summary>Resolves one scalar's text the way PyYAML's safe loader does (see the class doc).</summary>
    public static ConfigNode ResolveScalar(string text, bool plain, string tag, ConfigSource source)
    {
        switch (tag)
        {
            case "tag:yaml.org,2002:str": return ConfigNode.Of(text, source);
            case "tag:yaml.org,2002:null": return ConfigNode.Null(source);
            case "tag:yaml.org,2002:bool":
                return TryBool(text, out bool b) ? ConfigNode.Of(b, source) : throw new FormatException($"'{text}' is not a bool");
            case "tag:yaml.org,2002:int":
                return TryInt(text, out long l) ? ConfigNode.Of(l, source) : throw new FormatException($"'{text}' is not an int");
            case "tag:yaml.org,2002:float":
                if (TryFloat(text, out double df)) return ConfigNode.Of(df, source);
                if (TryInt(text, out long li)) return ConfigNode.Of((double)li, source);
                throw new FormatException($"'{text}' is not a float");
        }
        if (!plain)
            return ConfigNode.Of(text, source);
        if (text.Length == 0 || text is "~" or "null" or "Null" or "NULL")
            return ConfigNode.Null(source);
        if (TryBool(text, out bool bv))
            return ConfigNode.Of(bv, source);
        if (TryInt(text, out long iv))
            return ConfigNode.Of(iv, source);
        if (TryFloat(text, out double fv))
            return ConfigNode.Of(fv, source);
        return ConfigNode.Of(text, source);
    }

    private static bool TryBool(string s, out bool value)
    {
        switch (s)
        {
            case "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON":
                value = true;
                return true;
            case "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9_]*)$")]
    private static partial Regex DecimalInt();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatText();

    private static bool TryInt(string s, out long value)
    {
        value = 0;
        if (DecimalInt().IsMatch(s))
            return long.TryParse(s.Replace("_", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        string body = s.TrimStart('+', '-');
        bool negative = s.StartsWith('-');
        if (body.Length < 3 || body[0] != '0' || s.Length - body.Length > 1)
            return false;
        int radix = body[1] switch { 'x' => 16, 'o' => 8, 'b' => 2, _ => 0 };
        if (radix == 0)
            return false;
        try
        {
            value = System.Convert.ToInt64(body[2..].Replace("_", ""), radix);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return false;
        }
        if (negative)
            value = -value;
        return true;
    }

    private static bool TryFloat(string s, out double value)
    {
        value = 0;
        switch (s.TrimStart('+'))
        {
            case ".inf" or ".Inf" or ".INF": value = double.PositiveInfinity; return true;
            case "-.inf" or "-.Inf" or "-.INF": value = double.NegativeInfinity; return true;
            case ".nan" or ".NaN" or ".NAN": value = double.NaN; return true;
        }
        if (!FloatText().IsMatch(s) || s.Trim('+', '-') == ".")
            return false;
        return double.TryParse(s.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    // ----- writing -----

    /// <summary>Block-style YAML of a tree (mappings in order, lists of scalars in flow style), readable back
    /// into an equal tree by <see cref="Parse"/> and by PyYAML.</summary>
    public static string Format(ConfigNode root)
    {
        var sb = new StringBuilder();
        if (root.IsMap && root.Count > 0)
            WriteMapBody(sb, root, 0);
        else
            sb.Append(FormatFlow(root)).Append('\n');
        return sb.ToString();
    }

    private static void WriteMapBody(StringBuilder sb, ConfigNode map, int indent)
    {
        foreach (var (key, value) in map.Entries)
        {
            sb.Append(' ', indent).Append(FormatKey(key)).Append(':');
            WriteValue(sb, value, indent);
        }
    }

    private static void WriteValue(StringBuilder sb, ConfigNode value, int indent)
    {
        if (value.IsMap && value.Count > 0)
        {
            sb.Append('\n');
            WriteMapBody(sb, value, indent + 2);
        }
        else if (value.IsList && value.Items.Any(i => !i.IsScalar && i.Count > 0))
        {
            sb.Append('\n');
            foreach (var item in value.Items)
            {
                sb.Append(' ', indent).Append("- ");
                if (item.IsMap && item.Count > 0)
                {
                    // first entry on the dash line, the rest aligned under it
                    var body = new StringBuilder();
                    WriteMapBody(body, item, indent + 2);
                    sb.Append(body.ToString(indent + 2, body.Length - indent - 2));
                }
                else
                {
                    sb.Append(FormatFlow(item)).Append('\n');
                }
            }
        }
        else
        {
            sb.Append(' ').Append(FormatFlow(value)).Append('\n');
        }
    }

    /// <summary>One-line flow YAML of a node: <c>[1, 2]</c>, <c>{a: 1}</c>, <c>0.0001</c>, <c>''</c>.</summary>
    public static string FormatFlow(ConfigNode node) => node.Kind switch
    {
        ConfigKind.Null => "null",
        ConfigKind.Bool => (bool)node.Value! ? "true" : "false",
        ConfigKind.Int => ((long)node.Value!).ToString(CultureInfo.InvariantCulture),
        ConfigKind.Float => FormatFloat((double)node.Value!),
        ConfigKind.String => FormatString((string)node.Value!),
        ConfigKind.List => "[" + string.Join(", ", node.Items.Select(FormatFlow)) + "]",
        _ => "{" + string.Join(", ", node.Entries.Select(e => FormatKey(e.Key) + ": " + FormatFlow(e.Value))) + "}",
    };

    /// <summary>Shortest round-trip text that YAML 1.1 reads as a float (always a point: <c>3.0</c>,
    /// <c>1.0e-05</c>), like Python's repr as PyYAML writes it.</summary>
    public static string FormatFloat(double v)
    {
        if (double.IsNaN(v)) return ".nan";
        if (double.IsPositiveInfinity(v)) return ".inf";
        if (double.IsNegativeInfinity(v)) return "-.inf";
        string r = v.ToString("R", CultureInfo.InvariantCulture);
        int e = r.IndexOfAny(['E', 'e']);
        string mantissa = e < 0 ? r : r[..e];
        if (!mantissa.Contains('.'))
            mantissa += ".0";
        if (e < 0)
            return mantissa;
        int exp = int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return $"{mantissa}e{(exp < 0 ? "-" : "+")}{Math.Abs(exp):00}";
    }

    [GeneratedRegex(@"^[A-Za-z0-9_/<>()$][A-Za-z0-9_./<>()$+\- ]*$")]
    private static partial Regex SafePlain();

    private static string FormatKey(string key) => FormatString(key);

    private static string FormatString(string s)
    {
        if (SafePlain().IsMatch(s) && !s.EndsWith(' ') && !s.Contains(" #")
            && ResolveScalar(s, plain: true, "", ConfigSource.Unknown).Kind == ConfigKind.String)
            return s;
        if (!s.Any(c => c == '\'' || char.IsControl(c)))
            return "'" + s + "'";
        var sb = new StringBuilder("\"");
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '\r': sb.Append("\\r"); break;
                default:
                    if (char.IsControl(c)) sb.Append($"\\u{(int)c:x4}");
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}

using System.Text.Json;

namespace TrackSharp.Detection.Data;

/// <summary>
/// Reading COCO JSON with errors that name the file and the JSON path (<c>annotations[3].bbox</c>): JSON numbers are
/// read as double whatever their spelling (COCO files mix <c>1</c> and <c>1.0</c>), ids as integral doubles.
/// </summary>
internal static class CocoJson
{
    /// <summary>Parses the whole file; malformed JSON becomes a <see cref="DetectionDataException"/> with line and byte.</summary>
    public static JsonDocument Parse(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"COCO JSON file '{path}' does not exist.", path);
        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = false, MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new DetectionDataException(path,
                $"not valid JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}: {e.Message}", e);
        }
    }

    public static JsonElement Property(string path, JsonElement obj, string where, string key)
    {
        if (obj.ValueKind != JsonValueKind.Object)
            throw new DetectionDataException(path, $"{where}: expected a JSON object, found {obj.ValueKind}");
        if (!obj.TryGetProperty(key, out var value))
            throw new DetectionDataException(path, $"{where}: missing key '{key}'");
        return value;
    }

    public static JsonElement Array(string path, JsonElement value, string where)
    {
        if (value.ValueKind != JsonValueKind.Array)
            throw new DetectionDataException(path, $"{where}: expected a JSON array, found {value.ValueKind}");
        return value;
    }

    public static double Number(string path, JsonElement value, string where)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double d))
            throw new DetectionDataException(path, $"{where}: expected a number, found {Describe(value)}");
        return d;
    }

    public static long Id(string path, JsonElement value, string where)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetInt64(out long l)) return l;
            if (value.TryGetDouble(out double d) && d == Math.Floor(d) && Math.Abs(d) < 9.0e15) return (long)d;
        }
        throw new DetectionDataException(path, $"{where}: expected an integer id, found {Describe(value)}");
    }

    /// <summary>A COCO box <c>[x, y, w, h]</c>: exactly four numbers.</summary>
    public static CocoBox Box(string path, JsonElement value, string where)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 4)
            throw new DetectionDataException(path, $"{where}: expected [x, y, w, h] (4 numbers), found {Describe(value)}");
        var e = value.EnumerateArray().ToArray();
        return new CocoBox(Number(path, e[0], where + "[0]"), Number(path, e[1], where + "[1]"),
            Number(path, e[2], where + "[2]"), Number(path, e[3], where + "[3]"));
    }

    /// <summary>COCO flags (<c>iscrowd</c>) are 0/1 numbers, sometimes booleans.</summary>
    public static bool Flag(string path, JsonElement value, string where) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => Number(path, value, where) != 0,
        _ => throw new DetectionDataException(path, $"{where}: expected 0 or 1, found {Describe(value)}"),
    };

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"\"{Truncate(value.GetString() ?? "")}\"",
        JsonValueKind.Array => $"an array of {value.GetArrayLength()}",
        JsonValueKind.Object => "an object",
        _ => Truncate(value.GetRawText()),
    };

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "...";
}

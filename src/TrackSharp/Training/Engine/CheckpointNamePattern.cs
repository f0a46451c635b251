using System.Globalization;
using System.Text.RegularExpressions;

namespace TrackSharp.Training.Engine;

/// <summary>
/// A checkpoint file name with placeholders, so each trainer keeps its reference's naming:
/// <c>{epoch}</c> (0-based epoch of the last finished iteration), <c>{epoch1}</c> (the same, 1-based) and
/// <c>{step}</c> (iterations done), each with an optional .NET format after a colon.
/// video_analyst <c>epoch-{epoch}.pkl</c>, pysot <c>checkpoint_e{epoch1}.pth</c>, OSTrack
/// <c>OSTrack_ep{epoch1:0000}.pth.tar</c>, FCOS <c>model_{step:0000000}.pth</c>.
/// </summary>
public sealed partial class CheckpointNamePattern
{
    public CheckpointNamePattern(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        if (pattern.IndexOfAny(['/', '\\']) >= 0)
            throw new ArgumentException($"checkpoint name pattern '{pattern}' must be a file name, not a path", nameof(pattern));
        foreach (Match m in Braces().Matches(pattern))
            if (!Placeholder().IsMatch(m.Value))
                throw new ArgumentException(
                    $"checkpoint name pattern '{pattern}': unknown placeholder {m.Value} (use {{epoch}}, {{epoch1}} or {{step}})",
                    nameof(pattern));
        Pattern = pattern;
        Format(0, 0); // a bad format string fails here, not at the first save
    }

    public string Pattern { get; }

    /// <summary>The file name after the iteration that finished epoch <paramref name="epoch"/> with
    /// <paramref name="stepsDone"/> iterations done in total.</summary>
    public string Format(int epoch, long stepsDone) => Placeholder().Replace(Pattern, m =>
    {
        string name = m.Groups["name"].Value;
        string? format = m.Groups["format"].Success ? m.Groups["format"].Value : null;
        try
        {
            return name switch
            {
                "epoch" => epoch.ToString(format, CultureInfo.InvariantCulture),
                "epoch1" => (epoch + 1).ToString(format, CultureInfo.InvariantCulture),
                _ => stepsDone.ToString(format, CultureInfo.InvariantCulture),
            };
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"checkpoint name pattern '{Pattern}': bad format '{format}' in {m.Value}", e);
        }
    });

    public override string ToString() => Pattern;

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\{(?<name>epoch1|epoch|step)(?::(?<format>[^}]+))?\}")]
    private static partial Regex Placeholder();
}

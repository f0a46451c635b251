using System.ComponentModel;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Infrastructure;
using TrackSharp.Geometry;
using TrackSharp.Tracking;

namespace TrackSharp.Cli.Commands;

public sealed class DemoSettings : TrackerChoiceSettings
{
}

/// <summary><c>tracksharp demo</c>: NanoTrack on the shipped sample video, no arguments needed.</summary>
[Description("Track the shipped sample video (samples/bag.avi) with NanoTrack and write an annotated video.")]
public sealed class DemoCommand(IAnsiConsole console) : Command<DemoSettings>
{
    public const string SampleDescriptor = "samples/bag.json";

    public override int Execute(CommandContext context, DemoSettings settings, CancellationToken cancellation)
    {
        string descriptor = FindSample();
        using var doc = JsonDocument.Parse(File.ReadAllText(descriptor));
        string video = Path.Combine(Path.GetDirectoryName(descriptor)!, doc.RootElement.GetProperty("video").GetString()!);
        var box = InitialBoxFile.Read(descriptor);
        string output = settings.Out ?? Path.Combine("out", "demo");
        console.MarkupLine(Markup.Escape($"demo: {settings.Tracker} on {video}, first box {box}"));
        TrackingVerb.Run(console, settings, video, new List<BoxXywh> { box }, output, cancellation);
        return ExitCodes.Success;
    }

    /// <summary>The sample ships in the repository: look in the current folder, then above the application.</summary>
    private static string FindSample()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, SampleDescriptor);
                if (File.Exists(candidate)) return candidate;
            }
        throw new FileNotFoundException(
            $"sample '{SampleDescriptor}' not found above {Directory.GetCurrentDirectory()}; run the demo from the repository, or use `tracksharp track --input VIDEO --box x,y,w,h`");
    }
}

using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Infrastructure;
using TrackSharp.Tracking;

namespace TrackSharp.Cli.Commands;

public sealed class TrackersSettings : GlobalSettings
{
}

/// <summary><c>tracksharp trackers</c>: the names <c>track --tracker NAME</c> accepts.</summary>
[Description("List the trackers this build provides (names for track --tracker).")]
public sealed class TrackersCommand(IAnsiConsole console) : Command<TrackersSettings>
{
    public override int Execute(CommandContext context, TrackersSettings settings, CancellationToken cancellation)
    {
        var entries = TrackerRegistry.Default.Entries.ToList();
        if (entries.Count == 0)
        {
            console.WriteLine("no trackers are registered in this build yet");
            return ExitCodes.Success;
        }

        var table = new Table().AddColumn("name").AddColumn("description");
        foreach (var (name, description) in entries)
            table.AddRow(Markup.Escape(name), Markup.Escape(description));
        console.Write(table);
        return ExitCodes.Success;
    }
}

using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Infrastructure;
using TrackSharp.Data.Synthetic;

namespace TrackSharp.Cli.Commands;

public sealed class DatasetsSynthesizeSettings : GlobalSettings
{
    [CommandArgument(0, "<OUT>")]
    [Description("Folder to write (a GOT-10k train-style split folder: list.txt + GOT-10k_Synth_NNNNNN/). Must be empty or missing unless --overwrite.")]
    public string Out { get; init; } = "";

    [CommandOption("--sequences <N>")]
    [Description("Number of sequences.")]
    [DefaultValue(4)]
    public int Sequences { get; init; } = 4;

    [CommandOption("--frames <N>")]
    [Description("Frames per sequence.")]
    [DefaultValue(60)]
    public int Frames { get; init; } = 60;

    [CommandOption("--size <WxH>")]
    [Description("Frame size.")]
    [DefaultValue("320x240")]
    public string Size { get; init; } = "320x240";

    [CommandOption("--seed <N>")]
    [Description("Seed: the same seed and options give byte-identical files.")]
    [DefaultValue(1)]
    public int Seed { get; init; } = 1;

    [CommandOption("--difficulty <LEVEL>")]
    [Description("none (plain background, no events), easy, medium (default: one occlusion, sometimes out of view, distractors, slow pan) or hard.")]
    [DefaultValue("medium")]
    public string Difficulty { get; init; } = "medium";

    [CommandOption("--overwrite")]
    [Description("Write into a non-empty OUT, first deleting its list.txt and GOT-10k_Synth_* folders.")]
    public bool Overwrite { get; init; }

    internal (int Width, int Height) ParsedSize
    {
        get
        {
            var parts = Size.Trim().ToLowerInvariant().Split('x');
            if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int w)
                                  && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int h))
                return (w, h);
            throw new ArgumentException($"--size: expected WIDTHxHEIGHT such as 320x240, got '{Size}'");
        }
    }

    internal SyntheticOptions ToOptions()
    {
        var (w, h) = ParsedSize;
        return new SyntheticOptions
        {
            Sequences = Sequences, Frames = Frames, Width = w, Height = h, Seed = Seed,
            Difficulty = SyntheticDifficulty.Parse(Difficulty),
        };
    }

    public override ValidationResult Validate()
    {
        if (base.Validate() is { Successful: false } failed) return failed;
        if (IsMissingValue(Out)) return ValidationResult.Error("OUT (the folder to write) is required");
        try
        {
            ToOptions().Validate();
        }
        catch (ArgumentException e)
        {
            return ValidationResult.Error(e.Message);
        }
        return ValidationResult.Success();
    }
}

/// <summary><c>tracksharp datasets synthesize OUT</c>: seeded synthetic tracking sequences in the GOT-10k layout.</summary>
[Description("Generate synthetic tracking sequences (textured objects on textured backgrounds: smooth motion, scale and " +
             "aspect change, occlusion, distractors, out-of-view frames) as a GOT-10k train-style folder for tests and " +
             "smoke trainings. Deterministic: the same seed gives byte-identical files.")]
public sealed class DatasetsSynthesizeCommand(IAnsiConsole console) : Command<DatasetsSynthesizeSettings>
{
    public override int Execute(CommandContext context, DatasetsSynthesizeSettings settings, CancellationToken cancellation)
    {
        var options = settings.ToOptions();
        var summary = Progress.Run(console, $"synthesizing {options.Sequences} sequences", (long)options.Sequences * options.Frames,
            counter => SyntheticDataset.Write(settings.Out, options, settings.Overwrite, (_, _) =>
            {
                cancellation.ThrowIfCancellationRequested();
                counter.Increment();
            }));
        console.MarkupLine(Markup.Escape(
            $"wrote {summary.Sequences.Count} sequences, {summary.Frames} frames ({options.Width}x{options.Height}, seed {options.Seed}) " +
            $"to {summary.Root}: {summary.AbsentFrames} absent-target frames ({summary.OutOfViewFrames} out of view), " +
            $"{summary.PartlyHiddenFrames} partly hidden"));
        return ExitCodes.Success;
    }
}

using System.Text.Json;
using TorchSharp;
using TorchSharp.PyBridge;
using TrackSharp.Checkpoints;
using TrackSharp.Imaging;
using static TorchSharp.torch;

namespace TrackSharp.Training.Engine;

/// <summary>
/// Training checkpoints in one folder. A checkpoint named <c>N</c> (from the <see cref="CheckpointNamePattern"/>)
/// is three files, each written to a temporary file and renamed into place:
/// <list type="bullet">
/// <item><c>N</c>: the model's state dict as a torch.save zip (PyBridge <c>save_py</c>): Python loads it with
///   <c>torch.load</c>, TrackSharp with <see cref="StateDict.Load"/>;</item>
/// <item><c>N.optim.pth</c>: the optimizer's state (momentum / Adam buffers, param groups) in PyTorch's
///   <c>optimizer.state_dict()</c> layout, torch.save format;</item>
/// <item><c>N.trainer.json</c>: <see cref="TrainerState"/>, written LAST and removed FIRST when a checkpoint of
///   the same name is replaced, so its presence means the other two files are complete.</item>
/// </list>
/// <see cref="Latest"/> picks the checkpoint with the most iterations done; a checkpoint whose JSON exists but
/// whose files are missing, truncated or unreadable is an error naming the file (never silently skipped).
/// </summary>
public sealed class CheckpointStore
{
    /// <summary>Suffix of the state JSON next to each checkpoint.</summary>
    public const string StateSuffix = ".trainer.json";

    /// <summary>Suffix of the optimizer state file next to each checkpoint.</summary>
    public const string OptimizerSuffix = ".optim.pth";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public CheckpointStore(string directory, CheckpointNamePattern names)
    {
        Directory = Path.GetFullPath(directory);
        Names = names;
    }

    public CheckpointStore(string directory, string namePattern) : this(directory, new CheckpointNamePattern(namePattern)) { }

    public string Directory { get; }

    public CheckpointNamePattern Names { get; }

    /// <summary>Writes a checkpoint's weights file: (model, stream, 0-based epoch of the last iteration). Null (the
    /// default): the model's bare state dict (PyBridge <c>save_py</c>). A family whose reference saves a wrapped dict
    /// (ltr's <c>{'net': ...}</c>, see <see cref="LtrCheckpointFile"/>) sets it; <see cref="Load"/> reads both, since
    /// <see cref="StateDict.Load"/> finds a state dict nested under <c>net</c>.</summary>
    public Action<nn.Module, Stream, int>? WeightsWriter { get; init; }

    /// <summary>
    /// Saves <paramref name="model"/>'s state dict, <paramref name="optimizer"/>'s state (if given) and
    /// <paramref name="state"/> under the name for (<paramref name="epochOfLastIteration"/>, state.GlobalStep).
    /// </summary>
    public SavedCheckpoint Save(nn.Module model, optim.Optimizer? optimizer, TrainerState state, int epochOfLastIteration)
    {
        System.IO.Directory.CreateDirectory(Directory);
        string name = Names.Format(epochOfLastIteration, state.GlobalStep);
        string weights = Path.Combine(Directory, name);
        string statePath = weights + StateSuffix;
        string? optimizerPath = optimizer is null ? null : weights + OptimizerSuffix;

        // Replacing a checkpoint of the same name (an interrupted epoch saved earlier): un-mark it first.
        if (File.Exists(statePath)) File.Delete(statePath);

        WriteAtomically(weights, stream =>
        {
            if (WeightsWriter is { } write) write(model, stream, epochOfLastIteration);
            else model.save_py(stream, leaveOpen: true);
        });
        if (optimizer is not null)
            WriteAtomically(optimizerPath!, stream => Helper(optimizer).save_py(stream, leaveOpen: true));

        var complete = state with
        {
            WeightsFile = name,
            WeightsBytes = new FileInfo(weights).Length,
            OptimizerFile = optimizerPath is null ? "" : Path.GetFileName(optimizerPath),
            OptimizerBytes = optimizerPath is null ? 0 : new FileInfo(optimizerPath).Length,
            SavedUtc = DateTimeOffset.UtcNow,
        };
        AtomicFile.WriteAllBytes(statePath, JsonSerializer.SerializeToUtf8Bytes(complete, Json));
        return new SavedCheckpoint(statePath, weights, optimizerPath, complete);
    }

    /// <summary>Every complete checkpoint (state JSON present), fewest iterations first. A state JSON that cannot
    /// be read, or whose files are missing or have other sizes than recorded, throws
    /// <see cref="CheckpointFormatException"/> naming the file.</summary>
    public IReadOnlyList<SavedCheckpoint> List()
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        var list = new List<SavedCheckpoint>();
        foreach (var statePath in System.IO.Directory.EnumerateFiles(Directory, "*" + StateSuffix))
        {
            if (Path.GetFileName(statePath).StartsWith('.')) continue; // a temporary file of an unfinished write
            list.Add(Open(statePath));
        }
        return list.OrderBy(c => c.State.GlobalStep).ThenBy(c => c.State.SavedUtc).ToList();
    }

    /// <summary>The complete checkpoint with the most iterations done, or null when the folder has none.</summary>
    public SavedCheckpoint? Latest() => List().LastOrDefault();

    /// <summary>Reads and checks one checkpoint from its state JSON.</summary>
    public static SavedCheckpoint Open(string statePath)
    {
        TrainerState? state;
        try
        {
            state = JsonSerializer.Deserialize<TrainerState>(File.ReadAllBytes(statePath), Json);
        }
        catch (JsonException e)
        {
            throw new CheckpointFormatException(statePath,
                $"Checkpoint state '{statePath}' is not valid JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }
        if (state is null || state.WeightsFile.Length == 0)
            throw new CheckpointFormatException(statePath, $"Checkpoint state '{statePath}' names no weights file.");
        string folder = Path.GetDirectoryName(Path.GetFullPath(statePath))!;
        string weights = Path.Combine(folder, state.WeightsFile);
        CheckSize(weights, state.WeightsBytes, statePath);
        string? optimizer = null;
        if (state.OptimizerFile.Length > 0)
        {
            optimizer = Path.Combine(folder, state.OptimizerFile);
            CheckSize(optimizer, state.OptimizerBytes, statePath);
        }
        return new SavedCheckpoint(statePath, weights, optimizer, state);
    }

    /// <summary>
    /// Loads a checkpoint into <paramref name="model"/> (strict: every parameter and buffer by name and shape,
    /// <see cref="CheckpointMismatchException"/> otherwise) and, when both exist, <paramref name="optimizer"/>.
    /// The optimizer must hold the same parameters in the same groups and order as the one that was saved.
    /// PyBridge's reader sets each group's <c>InitialLearningRate</c> to the saved current lr and reads Adam's
    /// <c>step</c> through a float (exact up to 2^24 steps); the engine's loop sets every lr from the schedule
    /// before each step, so neither changes a resumed run.
    /// </summary>
    public static TrainerState Load(SavedCheckpoint checkpoint, nn.Module model, optim.Optimizer? optimizer)
    {
        using (var sd = StateDict.Load(checkpoint.WeightsPath))
            sd.LoadInto(model, strict: true);
        if (optimizer is not null)
        {
            if (checkpoint.OptimizerPath is null)
                throw new CheckpointFormatException(checkpoint.StatePath,
                    $"Checkpoint '{checkpoint.StatePath}' holds no optimizer state; resuming needs it.");
            try
            {
                Helper(optimizer).load_py(checkpoint.OptimizerPath);
            }
            catch (Exception e) when (e is not OutOfMemoryException and not CheckpointFormatException)
            {
                throw new CheckpointFormatException(checkpoint.OptimizerPath,
                    $"Optimizer state '{checkpoint.OptimizerPath}' does not fit this optimizer or cannot be read: {e.Message}", e);
            }
        }
        return checkpoint.State;
    }

    private static TorchSharp.Modules.OptimizerHelper Helper(optim.Optimizer optimizer) => optimizer as TorchSharp.Modules.OptimizerHelper
        ?? throw new ArgumentException($"optimizer {optimizer.GetType().Name} cannot save its state (not a TorchSharp OptimizerHelper)");

    private static void CheckSize(string path, long expected, string statePath)
    {
        if (!File.Exists(path))
            throw new CheckpointFormatException(path, $"Checkpoint file '{path}' named by '{statePath}' is missing.");
        long actual = new FileInfo(path).Length;
        if (actual != expected)
            throw new CheckpointFormatException(path,
                $"Checkpoint file '{path}' is truncated or was replaced: {actual} bytes, '{Path.GetFileName(statePath)}' recorded {expected}.");
    }

    private static void WriteAtomically(string path, Action<Stream> write)
    {
        string temp = AtomicFile.TemporaryPathFor(path);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
        }
        catch
        {
            AtomicFile.TryDelete(temp);
            throw;
        }
        AtomicFile.Commit(temp, path);
    }
}

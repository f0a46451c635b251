namespace TrackSharp.Training.Engine;

/// <summary>A complete checkpoint on disk: its state JSON and the files it names.</summary>
/// <param name="StatePath">The <c>&lt;name&gt;.trainer.json</c> file (written last: its presence marks the checkpoint complete).</param>
/// <param name="WeightsPath">The model state dict, a torch.save file (<c>torch.load(path)</c> in Python).</param>
/// <param name="OptimizerPath">The optimizer state (torch.save, PyTorch layout), or null when none was saved.</param>
/// <param name="State">The parsed state JSON.</param>
public sealed record SavedCheckpoint(string StatePath, string WeightsPath, string? OptimizerPath, TrainerState State);

using TrackSharp.Checkpoints;

namespace TrackSharp.Trackers.SiamFCpp;

/// <summary>Builds SiamFC++ networks from videoanalyst checkpoints.</summary>
public static class SiamFCppFactory
{
    /// <summary>
    /// Loads a SiamFC++ model from a videoanalyst state dict (bare or wrapped, <c>module.</c> prefix tolerated).
    /// The key set and shapes must match <paramref name="config"/> exactly; otherwise the error names the
    /// file and the offending keys. The model is returned in evaluation mode.
    /// </summary>
    /// <param name="weightsPath">The .pth file.</param>
    /// <param name="config">Network shape; null = the published AlexNet model.</param>
    public static SiamFCppModel LoadModel(string weightsPath, SiamFCppModelConfig? config = null)
    {
        if (!File.Exists(weightsPath))
            throw new FileNotFoundException($"weights file '{weightsPath}' does not exist", weightsPath);
        using var stateDict = StateDict.Load(weightsPath);
        var model = new SiamFCppModel(config);
        try
        {
            stateDict.LoadInto(model, strict: true);
            model.eval();
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return model;
    }
}

using TrackSharp.Checkpoints;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// Loading pytracking TrDiMP/TrSiam checkpoints (<c>{'net': state_dict, 'constructor': …}</c> as ltr saves them, or a
/// bare state dict) into <see cref="TrDiMPNet"/>. Every key is matched by name, including the duplicated tied
/// self-attention weights and the unused <c>WV</c>, <c>layer4</c> and <c>fc</c> entries, so loading is strict.
/// </summary>
public static class TrDiMPCheckpoints
{
    /// <summary>Builds a network of <paramref name="config"/>, loads <paramref name="weightsPath"/> strictly (a mismatch
    /// throws <see cref="CheckpointMismatchException"/> naming the file and keys) and returns it in eval mode.</summary>
    public static TrDiMPNet LoadNet(string weightsPath, TrDiMPNetConfig config)
    {
        var net = new TrDiMPNet(config);
        try
        {
            Load(net, weightsPath, strict: true);
            net.eval();
            return net;
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    /// <summary>Loads the <c>net</c> entry (or a bare state dict) of <paramref name="weightsPath"/> into <paramref name="net"/>.</summary>
    public static LoadReport Load(TrDiMPNet net, string weightsPath, bool strict = true)
    {
        if (!File.Exists(weightsPath))
            throw new FileNotFoundException($"TrDiMP weights file '{weightsPath}' does not exist", weightsPath);
        using var stateDict = StateDict.Load(weightsPath);
        return stateDict.LoadInto(net, strict);
    }
}

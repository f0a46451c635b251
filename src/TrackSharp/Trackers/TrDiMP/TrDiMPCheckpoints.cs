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

    /// <summary>
    /// The network settings a checkpoint was built with, read from its tensor shapes: Bottleneck (ResNet-50 family) when
    /// <c>layer1.0.conv3</c> exists, stem width from <c>conv1</c>, classification/transformer width from the feature
    /// block, IoUNet widths from <c>fc3_rt</c>/<c>fc4_rt</c>. Optimiser settings keep the TrDiMP defaults (they are not
    /// visible in the weights).
    /// </summary>
    public static TrDiMPNetConfig InferConfig(StateDict stateDict)
    {
        long[] Shape(string key) => stateDict.TryGetValue(key, out var t)
            ? t.shape
            : throw new InvalidDataException($"TrDiMP checkpoint '{stateDict.Source}' has no tensor '{key}'");
        bool bottleneck = stateDict.ContainsKey("feature_extractor.layer1.0.conv3.weight");
        var fc3 = Shape("bb_regressor.fc3_rt.linear.weight");
        var fc4 = Shape("bb_regressor.fc4_rt.linear.weight");
        return new TrDiMPNetConfig
        {
            ResNet50Backbone = bottleneck,
            BackboneInplanes = (int)Shape("feature_extractor.conv1.weight")[0],
            OutFeatureDim = (int)Shape("classifier.feature_extractor.0.weight")[0],
            FilterSize = 4,
            IouInputDim = ((int)(fc3[1] / 25), (int)(fc4[1] / 9)),
            IouInterDim = ((int)fc3[0], (int)fc4[0]),
        };
    }

    /// <summary>Loads a checkpoint into a network built from <see cref="InferConfig"/>, strictly, in eval mode.</summary>
    public static TrDiMPNet LoadNet(string weightsPath)
    {
        if (!File.Exists(weightsPath))
            throw new FileNotFoundException($"TrDiMP weights file '{weightsPath}' does not exist", weightsPath);
        using var stateDict = StateDict.Load(weightsPath);
        var net = new TrDiMPNet(InferConfig(stateDict));
        try
        {
            stateDict.LoadInto(net, strict: true);
            net.eval();
            return net;
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }
}

using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// TrDiMP's transformer (<c>ltr/models/target_classifier/transformer.py</c>): an encoder over the training frames
/// and a decoder run per frame for the training frames (their outputs train the filter) and the test frames (their
/// outputs are classified). Encoder and decoder share one self-attention module, registered under both names
/// exactly as the reference's state dict lists it.
/// </summary>
public sealed class TrDiMPTransformer : Module<Tensor, Tensor, Tensor, (Tensor Encoded, Tensor Decoded)>
{
#pragma warning disable IDE1006
    private readonly TransformerEncoder encoder;
    private readonly TransformerDecoder decoder;
#pragma warning restore IDE1006

    public TrDiMPTransformer(int dModel, int numLayers = 1) : base(nameof(TrDiMPTransformer))
    {
        var selfAttention = new MultiheadAttention(dModel, 1, 128);
        encoder = new TransformerEncoder(selfAttention, dModel, numLayers);
        decoder = new TransformerDecoder(selfAttention, dModel, numLayers);
        RegisterComponents();
    }

    public TransformerEncoder Encoder => encoder;
    public TransformerDecoder Decoder => decoder;

    /// <summary>
    /// train (Ntr, batch, D, H, W), test (Nte, batch, D, H, W), labels (Ntr, batch, H, W) →
    /// encoded train features (Ntr·batch, D, H, W) and decoded test features (Nte·batch, D, H, W).
    /// </summary>
    public override (Tensor Encoded, Tensor Decoded) forward(Tensor trainFeat, Tensor testFeat, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var (memory, _) = encoder.call(trainFeat);
        var encoded = new List<Tensor>();
        for (long i = 0; i < trainFeat.shape[0]; i++)
            encoded.Add(decoder.call(trainFeat[i].unsqueeze(0), memory, labels).Maps);
        var decoded = new List<Tensor>();
        for (long i = 0; i < testFeat.shape[0]; i++)
            decoded.Add(decoder.call(testFeat[i].unsqueeze(0), memory, labels).Maps);
        return (cat(encoded, 0).MoveToOuterDisposeScope(), cat(decoded, 0).MoveToOuterDisposeScope());
    }
}

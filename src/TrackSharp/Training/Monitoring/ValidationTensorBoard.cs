namespace TrackSharp.Training.Monitoring;

/// <summary>
/// The validation curves of an ltr-style run: ltr's <c>TensorboardWriter</c> keeps one folder per loader, so the means
/// of each validation pass go to <c>val</c> under the run's TensorBoard folder, at the training step the validated epoch
/// ends on (<c>epoch · iterations per epoch</c>) so train and val curves share the x axis. <see cref="Write"/> fits
/// <c>PeriodicValidation.Validated</c>; it flushes after every pass so a running TensorBoard shows it at once.
/// </summary>
public sealed class ValidationTensorBoard : IDisposable
{
    /// <summary>The loader folder under the TensorBoard folder.</summary>
    public const string FolderName = "val";

    private readonly TensorBoardWriter _writer;
    private readonly int _iterationsPerEpoch;

    /// <param name="tensorBoardDirectory">The run's TensorBoard folder (the writer opens <c>val</c> inside it).</param>
    /// <param name="iterationsPerEpoch">Training iterations of one epoch.</param>
    public ValidationTensorBoard(string tensorBoardDirectory, int iterationsPerEpoch)
    {
        ArgumentNullException.ThrowIfNull(tensorBoardDirectory);
        _iterationsPerEpoch = iterationsPerEpoch;
        _writer = new TensorBoardWriter(Path.Combine(tensorBoardDirectory, FolderName));
    }

    /// <summary>The event file written.</summary>
    public string FilePath => _writer.FilePath;

    /// <summary>Writes one pass's means, in their order, at the last training step of 1-based epoch
    /// <paramref name="epoch"/>.</summary>
    public void Write(int epoch, IReadOnlyList<KeyValuePair<string, double>> means)
    {
        ArgumentNullException.ThrowIfNull(means);
        foreach (var (k, v) in means) _writer.AddScalar(k, v, (long)epoch * _iterationsPerEpoch);
        _writer.Flush();
    }

    public void Dispose() => _writer.Dispose();
}

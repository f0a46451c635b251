namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// DiMP's sample memory weighting (<c>update_sample_weights</c>), in float32 in place: the slot is the next free one
/// until the memory is full, then the lowest-weighted non-initial slot; the new sample gets weight <c>lr</c> relative to
/// the previous one (<c>w[slot] = w[prev]/(1 − lr)</c>; the first update divides all by <c>1 − lr</c>), everything is
/// renormalised, and the initial samples keep at least <c>init_samples_minimum_weight</c> together.
/// </summary>
public static class SampleWeights
{
    /// <summary>Updates <paramref name="weights"/> and returns the slot the new sample goes to.</summary>
    public static int Update(float[] weights, int? previousIndex, int numStored, int numInit, double learningRate, double? initMinimumWeight)
    {
        double? minWeight = initMinimumWeight == 0 ? null : initMinimumWeight;
        int start = minWeight is null ? 0 : numInit;
        int slot;
        if (numStored == 0 || learningRate == 1)
        {
            Array.Clear(weights);
            weights[0] = 1;
            slot = 0;
        }
        else
        {
            if (numStored < weights.Length)
                slot = numStored;
            else
            {
                slot = start;
                for (int i = start + 1; i < weights.Length; i++)
                    if (weights[i] < weights[slot]) slot = i;
            }
            float keep = (float)(1 - learningRate);
            if (previousIndex is null)
            {
                for (int i = 0; i < weights.Length; i++) weights[i] /= keep;
                weights[slot] = (float)learningRate;
            }
            else
                weights[slot] = weights[previousIndex.Value] / keep;
        }
        float sum = Sum(weights, 0, weights.Length);
        for (int i = 0; i < weights.Length; i++) weights[i] /= sum;
        if (minWeight is double mw && Sum(weights, 0, numInit) < mw)
        {
            float denom = (float)mw + Sum(weights, numInit, weights.Length - numInit);
            for (int i = 0; i < weights.Length; i++) weights[i] /= denom;
            float each = (float)(mw / numInit);
            for (int i = 0; i < numInit; i++) weights[i] = each;
        }
        return slot;
    }

    private static float Sum(float[] a, int start, int count)
    {
        double s = 0;
        for (int i = start; i < start + count; i++) s += a[i];
        return (float)s;
    }
}

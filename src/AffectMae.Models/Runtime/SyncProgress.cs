namespace AffectMae.Models.Runtime;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its handler on the reporting thread, in order — unlike
/// <see cref="Progress{T}"/>, which posts to a synchronisation context and can reorder or delay reports.
/// </summary>
/// <typeparam name="T">The report type.</typeparam>
/// <param name="handler">Called with each report.</param>
public sealed class SyncProgress<T>(Action<T> handler) : IProgress<T>
{
    private readonly Action<T> handler = handler ?? throw new ArgumentNullException(nameof(handler));

    /// <inheritdoc />
    public void Report(T value) => handler(value);
}

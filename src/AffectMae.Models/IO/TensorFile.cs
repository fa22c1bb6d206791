using static TorchSharp.torch;

namespace AffectMae.Models.IO;

/// <summary>Loads named tensors from either file format AffectMae reads: safetensors, or a PyTorch <c>torch.save</c> file.</summary>
public static class TensorFile
{
    /// <summary>
    /// Loads every tensor of <paramref name="path"/>. A file that starts like a zip archive is read as a
    /// <c>torch.save</c> file by <see cref="PyTorchFile"/> (allow-listed pickle globals only); any other as safetensors.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="entry">For a PyTorch file whose top level is a dictionary holding the state dict under this key
    /// (MAE's checkpoints: <c>"model"</c>), that state dict; when the file has no such key, its top level. Ignored for safetensors.</param>
    /// <returns>Tensors by key, on the CPU; the caller disposes them.</returns>
    /// <exception cref="InvalidDataException">The file is damaged or not a state dict; the message names the file.</exception>
    /// <exception cref="UnsafePickleException">A PyTorch file names a global outside <see cref="PyTorchFile.AllowedGlobals"/>.</exception>
    public static Dictionary<string, Tensor> Load(string path, string? entry = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return PyTorchFile.IsPyTorchZip(path)
            ? PyTorchFile.LoadStateDict(path, entry, entryIsOptional: true)
            : SafeTensors.Load(path);
    }

    /// <summary>Disposes every tensor of a dictionary returned by <see cref="Load"/>.</summary>
    /// <param name="tensors">The tensors.</param>
    public static void DisposeAll(IReadOnlyDictionary<string, Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        foreach (var tensor in tensors.Values) tensor.Dispose();
    }
}

using System.Security.Cryptography;

namespace KneeClinic.Core;

/// <summary>Random identifiers for paper and labels: digits and capitals without I, L, O and U, easy to read out.</summary>
public static class RandomCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary><paramref name="length"/> characters from a cryptographic random source; 32 letters, so 5 bits each.</summary>
    public static string New(int length)
    {
        Span<byte> random = stackalloc byte[length];
        RandomNumberGenerator.Fill(random);
        Span<char> code = stackalloc char[length];
        for (var i = 0; i < length; i++) code[i] = Alphabet[random[i] % Alphabet.Length];
        return new string(code);
    }
}

import type { RESTPutAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';

/**
 * The slash commands every character answers. Only type imports from discord-api-types here:
 * the interactions bundle reads the names, and the package's runtime enums cost ~90 KB.
 */
export const COMMAND = { ask: 'ask', forget: 'forget' } as const;

/** Option names of `/ask`. */
export const ASK_OPTION = { text: 'text', private: 'private' } as const;

/** ApplicationCommandOptionType values (discord-api-types), as literals for the reason above. */
const STRING = 3;
const BOOLEAN = 5;

/**
 * The commands `carrier discord register` puts on a character's application: `/ask text:<…>`
 * (optionally answered privately) and `/forget`.
 *
 * @example
 * discordCommands({ name: 'Ada' }); // [{ name: 'ask', … }, { name: 'forget', … }]
 */
export function discordCommands(character: { name: string }): RESTPutAPIApplicationCommandsJSONBody {
  const who = character.name.slice(0, 60);
  return [
    {
      name: COMMAND.ask,
      description: `Ask ${who} something`,
      options: [
        {
          type: STRING,
          name: ASK_OPTION.text,
          description: 'What you want to say',
          required: true,
          max_length: 6000,
        },
        {
          type: BOOLEAN,
          name: ASK_OPTION.private,
          description: 'Only you see the answer',
          required: false,
        },
      ],
    },
    {
      name: COMMAND.forget,
      description: `Make ${who} forget what you told it`,
    },
  ];
}

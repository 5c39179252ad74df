import { API_PREFIX } from './http';

/** A picture's address: the catalogue's https one as is, one the BFF serves (a path, `getMedia`'s) under the API. */
export const mediaUrl = (ref: string): string => (ref.startsWith('/') ? `${API_PREFIX}${ref}` : ref);

/** An activity's picture: its own cover (or banner) when it has one, else the drawn artwork of its type the BFF serves. */
export const activityArt = (activity: { type: string; images: { cover?: string; banner?: string } }, prefer: 'cover' | 'banner' = 'cover'): string =>
  mediaUrl((prefer === 'banner' ? activity.images.banner : activity.images.cover) ?? activity.images.cover ?? `/media/activity-${activity.type}.svg`);
